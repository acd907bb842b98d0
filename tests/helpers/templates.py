"""Template texts shared by the template tests (HTTP and browser)."""

#: item.j2 with its for-loop left open: a syntax error reported at line 4.
BROKEN = "{{ item.title | sentence }}\n\n{% for p in item.paragraphs %}\n{{ p }}\n"
#: item.j2 that says each item's number ("Tin thứ nhất.", "Tin thứ hai.").
NUMBERED = ("{{ clip(\"stinger\") }}\nTin thứ {{ item.number }}. {{ item.title | sentence }}\n\n"
            "{% for p in item.paragraphs %}\n{{ p }}\n\n{% endfor %}\n{{ pause(1.5) }}\n")
