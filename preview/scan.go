package preview

import "fmt"

// Scan says whether a half-block drawing of a code can be scanned, and when
// it cannot, what box would make it so.
//
// For a QR symbol (a finder pattern was found: Grid) scannable means
// module-exact: every module is drawn as whole half-block pixels, the same
// number for each module, as zbar needs (terminal-graphics.md §4.2: at
// exactly the module count or a whole multiple it decodes; just above 1×,
// where modules straddle pixels, it fails).
//
// The round mini program code has no module grid, so nothing can be made
// exact, and no free reader decodes it (zbar does not; only WeChat does) to
// measure against. Its thinnest features, the rays' width, the dots along
// them and the gaps between, are about 1/60 of the image (53 to 69 on the
// nine black-lined real codes in codeimage/testdata/realcodes: 7 px strokes
// on the API's default 430 px). Such strokes never fall on the pixel grid,
// which is the QR's unaligned case: there zbar needed about 1.5 pixels a
// module. So a round code counts as scannable from roundMinPx half-block
// pixels across: 1.5 pixels for each of 64 strokes. Fewer and the strokes
// merge: scaled to 50 pixels, the ring of rays of a real code keeps only 24
// to 76 % of the separate dark blobs it has at full size. This is a documented
// threshold, not a decode.
type Scan struct {
	// Exact is true when the drawing is scannable as defined above.
	Exact bool
	// Grid is true when a QR module grid was found; false means the image
	// was judged as a round code.
	Grid bool
	// Need is, when Exact is false, the smallest box that would draw the
	// code scannable with the same cells; the zero Box when none would
	// (a round code whose image is narrower than roundMinPx).
	Need Box
}

// roundMinPx is the width in half-block pixels from which a round mini
// program code counts as scannable (see Scan).
const roundMinPx = 96

// ScanProblem is what to tell the user about a half-block drawing that
// cannot be scanned ("too small to scan: needs 39×20 cells"), or "" when it
// can or when the output is not half blocks.
func (o Output) ScanProblem() string {
	switch {
	case o.Mode != ModeBlocks || o.Scan.Exact:
		return ""
	case o.Scan.Need == Box{}:
		return "too small to scan: the image has too few pixels for half blocks"
	}
	return fmt.Sprintf("too small to scan: needs %d×%d cells", o.Scan.Need.Cols, o.Scan.Need.Rows)
}
