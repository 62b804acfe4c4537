package main

import "context"

// Replaced by cmd_hint.go when the hint command lands.
func cmdHint(ctx context.Context, args []string, io stdio) int { return notYet("hint", io) }
