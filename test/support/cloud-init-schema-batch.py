"""
`cloud-init schema --config-file <file>` for many files in one interpreter: the same calls the
command makes (cloudinit.config.schema: get_schema, then validate_cloudconfig_file without
annotations), with the schema loaded once. One line per file on stdout: "Valid cloud-config:
<file>" as the command prints it, or "<file>: <the command's error text>".
Run with the interpreter of the machine's cloud-init (its script's #! line).
"""
import sys

from cloudinit.config.schema import SchemaValidationError, get_schema, validate_cloudconfig_file

schema = get_schema()
for path in sys.argv[1:]:
    try:
        validate_cloudconfig_file(path, schema, False)
    except (SchemaValidationError, RuntimeError) as error:
        print(f"{path}: {error}")
    else:
        print("Valid cloud-config:", path)
