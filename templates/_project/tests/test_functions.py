"""Tests of this project's functions. Run them with `pytest`.

Every file in functions/ must import and define `handler`. Add a test for each function you write, for example:

    def test_hello_world(call_function):
        assert str(call_function("hello-world.py")) == (
            '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello World!</Say></Response>'
        )
"""


def test_every_function_defines_a_handler(functions_folder, load_function):
    for path in sorted(functions_folder.rglob("*.py")):
        relative = path.relative_to(functions_folder)
        if any(part.startswith(("_", ".")) for part in relative.parts):
            continue
        module = load_function(relative.as_posix())
        assert callable(getattr(module, "handler", None)), f"functions/{relative} defines no handler"
