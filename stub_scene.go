package main

import "context"

// Replaced by cmd_scene.go when the scene command lands.
func cmdScene(ctx context.Context, args []string, io stdio) int { return notYet("scene", io) }
