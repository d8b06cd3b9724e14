import asyncio


async def handler(context, event, callback):
    await asyncio.sleep(0.02)
    callback(None, {"async": True})
