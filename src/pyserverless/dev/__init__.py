"""`pyserverless start`'s session: the reload supervisor and its workers, the event-loop watchdog, the tunnel,
and the route table it prints."""
