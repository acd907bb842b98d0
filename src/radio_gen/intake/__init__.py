"""Article intake: sources are read into the station's store, then a program's items are selected.

`articles` (the Article value and its cleaning), `store` (what the station remembers),
`pipeline` (collect every source into a store, then select) and `selection` (which
remembered articles a program reads). Nothing is re-exported here, so `sources/` can
import `intake.articles` without pulling in the pipeline that imports `sources/`.
"""
