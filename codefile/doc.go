// Package codefile is what a saved code looks like on disk, for the designer
// and batch alike: the one {hash} of a request (Key, Hash), the file-name
// template (RenderName, SanitizeName), the designer's .json sidecar (Sidecar)
// and batch's manifest line (ManifestEntry), read back by the one manifest
// reader (ReadManifest) for resume and verify, and a code flattened for
// saving (Flatten, with its Flattened record). These are contracts that the
// README documents and that users' scripts read, so the JSON names and the
// hash never change silently; the tests pin them.
//
// Writing the files is package atomicfile's job; codefile only says what they
// are called and what they hold.
package codefile
