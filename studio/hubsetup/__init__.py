"""Setting up a hub: settings every app server and worker must share (the catalogue's public address)."""
