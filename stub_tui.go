package main

import "context"

// Replaced by cmd_tui.go when the tui command lands.
func cmdTUI(ctx context.Context, args []string, io stdio) int { return notYet("tui", io) }
