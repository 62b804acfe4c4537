// Package preview turns a code image into something a terminal can show:
// sixel, kitty graphics, iTerm2 inline images or Unicode half blocks.
//
// The pipeline is decode → fit into a box of cells (area averaging, never
// smearing) → flatten transparency onto a background → snap two-tone images
// (codes) to their exact two colours → encode → cache. Detection is a set of
// pure functions over the environment and the terminal's replies; the caller
// sends the queries (see Queries) and hands the answers back. The package knows
// nothing of Bubble Tea: graphics come back as an out-of-band escape sequence
// (Output.Raw) for the UI to write after its frame, text as Output.Text.
package preview
