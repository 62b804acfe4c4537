package cli

import (
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"io"

	"wxacode/atomicfile"
	"wxacode/codefile"
	"wxacode/codeimage"
	"wxacode/wechat"
)

// stdoutName is -o's name for standard output.
const stdoutName = "-"

// getOutput is where `get` puts the code and how it reports it: -o FILE or
// -o - (the bytes on stdout), --data-uri or --base64 (the image as text on
// stdout), --json (the report as JSON), --flatten (a transparent code drawn
// onto a colour first).
type getOutput struct {
	file            string // -o as given
	dataURI, base64 bool
	json            bool
	flatten         string // --flatten as given
	flattenSet      bool

	bg color.RGBA // the parsed --flatten colour
}

// text reports whether the image is printed as text (data URI or base64).
func (o *getOutput) text() bool { return o.dataURI || o.base64 }

// textFlag is the text flag given, for messages.
func (o *getOutput) textFlag() string {
	if o.dataURI {
		return "--data-uri"
	}
	return "--base64"
}

// toFile reports whether the image is saved to a file.
func (o *getOutput) toFile() bool { return o.file != "" && o.file != stdoutName }

// check lists what makes no sense, before anything is called: every
// combination either has one obvious meaning or is refused here (exit 2).
// warnings are for stderr.
func (o *getOutput) check(p wechat.Params, outTTY bool) (problems, warnings []string) {
	switch {
	case o.dataURI && o.base64:
		problems = append(problems, "--data-uri and --base64 are two ways to print the image as text: give one (--data-uri adds the data:image/…;base64, prefix)")
	case o.text() && o.toFile():
		problems = append(problems, fmt.Sprintf("%s prints the image as text on stdout, and -o %s saves the image itself: give one (to keep the text in a file: %s > FILE.txt)", o.textFlag(), o.file, o.textFlag()))
	case o.file == "" && !o.text():
		problems = append(problems, "-o FILE is required, for example: wxacode get --scene id=42 -o code.jpg (-o - writes the image to stdout; --data-uri or --base64 prints it as text)")
	case o.file == stdoutName && !o.text() && o.json:
		problems = append(problems, "--json and -o - would both write to stdout: save the image with -o FILE (the JSON then describes it), or add --data-uri or --base64 to carry the image inside the JSON")
	case o.file == stdoutName && !o.text() && outTTY:
		problems = append(problems, "-o - writes the image's bytes to stdout, which is a terminal: redirect it (-o - > code.jpg, or pipe it on), or print it as text with --base64 or --data-uri")
	case o.toFile():
		if problem := checkOutput(o.file); problem != "" {
			problems = append(problems, problem)
		}
	}
	if !o.flattenSet {
		return problems, warnings
	}
	bg, err := codeimage.ParseBackground(o.flatten)
	switch {
	case err != nil:
		problems = append(problems, "--flatten "+err.Error())
	case p.Kind != wechat.KindUnlimited && p.Kind != wechat.KindLimited:
		problems = append(problems, fmt.Sprintf("--flatten draws a transparent code onto a colour, and --kind %s has no is_hyaline: its codes are opaque already; drop --flatten", p.Kind))
	case !p.Hyaline:
		problems = append(problems, "--flatten draws a transparent code onto a colour, and this request is not --hyaline (WeChat sends it opaque, on white): add --hyaline, or drop --flatten")
	default:
		o.bg = bg
		if w := contrastWarning(bg, p); w != "" {
			warnings = append(warnings, w)
		}
	}
	if o.toFile() {
		if _, ok := codefile.FormatForName(o.file); !ok {
			problems = append(problems, fmt.Sprintf("--flatten saves the code in the format its name asks for: give -o a name ending .jpg (JPEG) or .png (PNG without alpha), not %s", o.file))
		}
	}
	return problems, warnings
}

// contrastWarning is said when the strokes' colour (line_color, black by
// default; unknown with auto_color) is too close to the --flatten colour
// for a scanner: WCAG's contrast ratio under 3:1.
func contrastWarning(bg color.RGBA, p wechat.Params) string {
	if p.AutoColor {
		return ""
	}
	line := color.RGBA{A: 255}
	if p.LineColor != nil {
		line = color.RGBA{uint8(p.LineColor.R), uint8(p.LineColor.G), uint8(p.LineColor.B), 255}
	}
	r := wechat.ContrastRatio(wechat.Color{R: int(bg.R), G: int(bg.G), B: int(bg.B)}, wechat.Color{R: int(line.R), G: int(line.G), B: int(line.B)})
	if r >= 3 {
		return ""
	}
	return fmt.Sprintf("--flatten %s behind strokes of %s: a contrast of only %.1f:1; scanners want dark strokes on a light colour (4.5:1 or more is safe)",
		codeimage.Hex(bg), codeimage.Hex(line), r)
}

// saved is the image as it leaves get: WeChat's bytes, or the flattened ones.
type saved struct {
	bytes     []byte
	format    wechat.Format
	flattened *codefile.Flattened
}

// prepare is the code as it will be written: flattened onto o.bg
// (codefile.Flatten), in the format of the file's name (PNG for stdout),
// when --flatten was given.
func (o *getOutput) prepare(code *wechat.Code) (saved, error) {
	if !o.flattenSet {
		return saved{bytes: code.Bytes, format: code.Format}, nil
	}
	name := ""
	if o.toFile() {
		name = o.file
	}
	fc, fl, err := codefile.Flatten(code, o.bg, name)
	if err != nil {
		return saved{}, err
	}
	return saved{bytes: fc.Bytes, format: fc.Format, flattened: fl}, nil
}

// mime is the image's media type, from its real format (hyaline codes come
// labelled image/jpeg and are PNG).
func mime(f wechat.Format) string {
	if f == wechat.FormatPNG {
		return "image/png"
	}
	return "image/jpeg"
}

// textOf is the image as --data-uri or --base64 prints it.
func (o *getOutput) textOf(s saved) string {
	b64 := base64.StdEncoding.EncodeToString(s.bytes)
	if o.dataURI {
		return "data:" + mime(s.format) + ";base64," + b64
	}
	return b64
}

// deliver writes the image where o says: the file (atomically), stdout's
// bytes, or stdout's text (not with --json, whose object carries the text).
func (o *getOutput) deliver(stdout io.Writer, s saved) error {
	var err error
	switch {
	case o.toFile():
		if err := atomicfile.WriteFile(o.file, s.bytes, 0o644); err != nil {
			return fail(exitUnexpected, "wxacode get: the code arrived but could not be saved: %v", err)
		}
		return nil
	case o.json:
		return nil
	case o.text():
		_, err = io.WriteString(stdout, o.textOf(s)+"\n")
	default:
		_, err = stdout.Write(s.bytes)
	}
	if err != nil {
		return fail(exitUnexpected, "wxacode get: the code arrived but could not be written to stdout: %v", err)
	}
	return nil
}

// summary is get's one line about the code: "FILE: jpeg 430x430, 39413
// bytes", stdout for what went to stdout.
func (o *getOutput) summary(code *wechat.Code, s saved, size image.Point) string {
	name := o.file
	if !o.toFile() {
		name = "stdout"
	}
	line := fmt.Sprintf("%s: %s %dx%d, %d bytes", name, s.format, size.X, size.Y, len(s.bytes))
	if code.NumUsed >= 0 {
		line += fmt.Sprintf(", Num-Used %d", code.NumUsed)
	}
	if fl := s.flattened; fl != nil {
		line += fmt.Sprintf(", flattened onto %s (WeChat sent %s, %d bytes, sha256 %s)", fl.Background, fl.OriginalFormat, fl.OriginalBytes, fl.OriginalSHA256)
	}
	return line
}

// getJSON is `get --json` on success. file is null when the image went to
// stdout; data_uri or base64 carry it with --data-uri or --base64.
type getJSON struct {
	File      *string             `json:"file"`
	Format    wechat.Format       `json:"format"`
	Width     int                 `json:"width"`
	Height    int                 `json:"height"`
	Bytes     int                 `json:"bytes"`
	SHA256    string              `json:"sha256"`
	NumUsed   *int                `json:"num_used"`
	Received  *string             `json:"received"`
	DataURI   string              `json:"data_uri,omitempty"`
	Base64    string              `json:"base64,omitempty"`
	Flattened *codefile.Flattened `json:"flattened,omitempty"`
}

// printGetJSON prints get's success as JSON: what was measured here, no
// server text (see printJSON).
func (o *getOutput) printGetJSON(f *Factory, code *wechat.Code, s saved, size image.Point) error {
	j := getJSON{Format: s.format, Width: size.X, Height: size.Y, Bytes: len(s.bytes), SHA256: codefile.ContentSHA256(s.bytes),
		Received: jsonTime(code.Received), Flattened: s.flattened}
	if o.toFile() {
		j.File = &o.file
	}
	if code.NumUsed >= 0 {
		n := code.NumUsed
		j.NumUsed = &n
	}
	switch {
	case o.dataURI:
		j.DataURI = o.textOf(s)
	case o.base64:
		j.Base64 = o.textOf(s)
	}
	if err := f.printJSON(f.IOStreams.Out, j); err != nil {
		return fail(exitUnexpected, "wxacode get: cannot write JSON to stdout: %v", err)
	}
	return nil
}

// apiErrorJSON is `get --json` on an errcode (exit 3): request_time is the
// time the rid encodes (RFC 3339, null when there is none); hint is
// `hint --json`'s object, null for a code without one.
type apiErrorJSON struct {
	Code        int       `json:"errcode"`
	Msg         string    `json:"errmsg"`
	RID         string    `json:"rid"`
	RequestTime *string   `json:"request_time"`
	Hint        *hintJSON `json:"hint"`
}
