package main

import "context"

// Replaced by cmd_get.go when the get command lands.
func cmdGet(ctx context.Context, args []string, io stdio) int { return notYet("get", io) }
