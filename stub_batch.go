package main

import "context"

// Replaced by cmd_batch.go when the batch command lands.
func cmdBatch(ctx context.Context, args []string, io stdio) int { return notYet("batch", io) }
