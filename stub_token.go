package main

import "context"

// Replaced by cmd_token.go when the token command lands.
func cmdToken(ctx context.Context, args []string, io stdio) int { return notYet("token", io) }
