"""`radio-gen serve` and `radio-gen users add | passwd | list | remove`: the newsroom, for the operator.

Only parses arguments, calls the library (users.py, web/) and prints.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from radio_gen.cli.common import Commands, add_command, command_group, config_option
from radio_gen.config import load_config
from radio_gen.users import ROLES, UserError, Users

SERVE_EXAMPLES = """
  radio-gen serve --config /etc/radio-gen/station.toml           http://127.0.0.1:8080/ ([web] host, port)
  radio-gen serve --config station.toml --host 0.0.0.0 --port 8080   open to the station's LAN
  see README "Newsroom" and deploy/radio-gen-web.service"""


def add_parser(commands: Commands) -> None:
    serve = add_command(commands, "serve", "run the newsroom web app (today's programs, listen, approve, /phat/)",
                        SERVE_EXAMPLES, parents=[config_option()])
    serve.add_argument("--host", help="address to listen on (default: [web] host, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="TCP port (default: [web] port, 8080)")
    serve.set_defaults(handler=cmd_serve)

    action = command_group(commands, "users", "add, change and remove the newsroom's users and their roles",
                           dest="users_action")
    add = action("add", "add a user with a role: editor (listen, rebuild), approver (also approve), admin", """
  radio-gen users add lan --role approver --config station.toml     asks for the password twice
  echo 'mat-khau-dai' | radio-gen users add bientap --role editor --password-stdin""")
    add.add_argument("name", help="login name, e.g. lan or bien-tap-1")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(handler=cmd_add)
    passwd = action("passwd", "set a user's password", """
  radio-gen users passwd lan --config station.toml
  echo 'mat-khau-moi' | radio-gen users passwd lan --password-stdin --config station.toml""")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    passwd.set_defaults(handler=cmd_passwd)
    listing = action("list", "list the users and their roles", """
  radio-gen users list --config station.toml""")
    listing.set_defaults(handler=cmd_list)
    remove = action("remove", "remove a user (their sessions end at their next request)", """
  radio-gen users remove bientap --config station.toml""")
    remove.add_argument("name")
    remove.set_defaults(handler=cmd_remove)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from radio_gen.web import create_app

    config = load_config(args.config)
    web = config.web
    host, port = args.host or web.host, args.port or web.port
    app = create_app(config, housekeeping=True)
    print(f"newsroom: http://{host}:{port}/  (stop with Ctrl+C)", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False, server_header=False)
    return 0


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise UserError("the two passwords differ")
    return first


def _users(args: argparse.Namespace) -> Users:
    return Users(load_config(args.config).store_path)


def cmd_add(args: argparse.Namespace) -> int:
    users = _users(args)
    user = users.add(args.name, args.role, _password(args), by="cli")
    print(f"added {user.name} ({user.role})")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    _users(args).set_password(args.name, _password(args), by="cli")
    print(f"password of {args.name} changed")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    users = _users(args).all()
    if not users:
        print("no users (add one: radio-gen users add NAME --role admin)")
    for user in users:
        print(f"{user.name:<20} {user.role:<9} since {user.created:%Y-%m-%d}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    _users(args).remove(args.name, by="cli")
    print(f"removed {args.name}")
    return 0

