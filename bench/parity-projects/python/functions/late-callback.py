import threading


def handler(context, event, callback):
    threading.Timer(0.1, callback, args=(None, "called back later")).start()
