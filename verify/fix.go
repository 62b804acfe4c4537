package verify

import "strings"

// fixFor is what to do about a problem; atOrigin says the origin (or the
// file itself) has it too, so purging a cache will not help.
func fixFor(problem string, atOrigin bool) string {
	switch {
	case problem == Stale:
		return "purge this URL from the CDN or proxy cache; name files by content (wxacode batch's default {hash} names) so a new code never reuses a URL, " +
			"and serve hash-named files with Cache-Control: public, max-age=31536000, immutable (never a long max-age on a reused name)"
	case problem == Truncated:
		return "the file was published before it was completely written (a CDN fetching while the upload ran, or an NFS reader before the writer closed it): " +
			"upload or write under a temporary name and rename when complete, then purge the URL; re-copy the file from wxacode's output"
	case problem == Differs:
		return "another file is at this name (a reused name, or an old copy): copy the manifest's file again, and name files by content so a name always means one code"
	case problem == NotImage:
		return "the file is no code (an errcode JSON or an error page saved as .jpg, or a broken copy): generate it again with wxacode get or batch, which never save one"
	case problem == ContentType:
		return "make the server label files by their bytes (image/png for .png, image/jpeg for .jpg); a hyaline code is a PNG even though WeChat labels it image/jpeg, so name it .png (wxacode does)"
	case problem == Missing:
		return "copy the file again from wxacode's output folder"
	case problem == Unreachable:
		return "check the URL (--base-url) and the network; run verify again"
	case problem == "HTTP 404":
		s := "upload the file, or fix --base-url so that it joined with the manifest's file names gives the served URL"
		if !atOrigin {
			s += "; a cache may keep a 404 from before the upload (negative caching): purge it"
		}
		return s
	case strings.HasPrefix(problem, "HTTP "):
		return "the server did not serve the file: see its logs and run verify again"
	}
	return ""
}
