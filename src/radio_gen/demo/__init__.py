"""The bundled demo station and its sample articles (written for radio-gen)."""
