from pyserverless import Runtime


def handler(context, event, callback):
    functions = Runtime.get_functions()
    assets = Runtime.get_assets()
    callback(
        None,
        {
            "functions": sorted(functions),
            "assets": sorted(assets),
            "message": assets["/message.txt"].open(),
            "helper": functions["helper"].load().greet("parity"),
        },
    )
