package main

import "context"

// Replaced by cmd_preview.go when the preview command lands.
func cmdPreview(ctx context.Context, args []string, io stdio) int { return notYet("preview", io) }
