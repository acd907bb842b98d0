"""The newsroom: a web app over the library for the station's editors and approvers.

`create_app(config)` gives the Starlette app; `radio-gen serve` runs it with uvicorn.
"""

from radio_gen.web.app import ROUTES, create_app

__all__ = ["ROUTES", "create_app"]
