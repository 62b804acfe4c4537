package main

import "context"

// Replaced by cmd_sim.go when the sim command lands.
func cmdSim(ctx context.Context, args []string, io stdio) int { return notYet("sim", io) }
