"""The command-line interface: one small module per command, each parsing options and calling one core
function."""
