// Package snippet writes a code request the ways a developer runs it
// elsewhere: the JSON body the client sends, a curl line, and the same call
// from a WeChat Cloud Development function (wx-server-sdk). All three come
// from the one body (wechat.Request.Body), so they never disagree.
package snippet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"wxacode/shell"
	"wxacode/wechat"
)

// Body is the JSON body the client sends for p; get_qrcode (trial) sends
// none.
func Body(p wechat.Params) (string, error) {
	if p.Kind == wechat.KindTrial {
		return "", fmt.Errorf("get_qrcode is a GET and sends no body: print it as curl")
	}
	b, err := p.Request().Body()
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// URL is the endpoint URL at base ("" for WeChat's) with the token shown as tok.
func URL(base string, k wechat.Kind, tok string) string {
	if base == "" {
		base = wechat.DefaultBaseURL
	}
	return strings.TrimRight(base, "/") + k.Path() + "?access_token=" + tok
}

// Curl reproduces the request in a POSIX shell; the token comes from
// $ACCESS_TOKEN, never written out.
func Curl(base string, p wechat.Params) (string, error) {
	if rt := p.Request().Route(); rt.Method == http.MethodGet {
		// get_qrcode: a GET, the path in the query string (URL-encoded once: only %XX and unreserved characters).
		u := URL(base, p.Kind, "$ACCESS_TOKEN")
		if rt.Query != "" {
			u += "&" + rt.Query
		}
		return fmt.Sprintf(`curl -sS "%s" -o QRCode.jpg`, u), nil
	}
	body, err := Body(p)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(`curl -sS -X POST "%s" -H 'Content-Type: application/json' -d %s -o code.img`,
		URL(base, p.Kind, "$ACCESS_TOKEN"), shell.Quote(body)), nil
}

// cloudMethods are wx-server-sdk's names for the code endpoints
// (cloud.openapi.wxacode.<method>).
var cloudMethods = map[wechat.Kind]string{
	wechat.KindUnlimited: "getUnlimited",
	wechat.KindLimited:   "get",
	wechat.KindQRCode:    "createQRCode",
}

// CloudMethod is wx-server-sdk's name for k's endpoint, "" when it has none.
func CloudMethod(k wechat.Kind) string { return cloudMethods[k] }

// Cloud is p as a cloud function calling cloud.openapi.wxacode.<method>:
// the body's keys in camelCase (wx-server-sdk turns them back into the
// HTTPS names, convertCase, on by default), every field the body has and
// no other, what to do with result.buffer, and the config.json permission
// older set-ups need. An error for a kind with no cloud call.
func Cloud(p wechat.Params) (string, error) {
	method := CloudMethod(p.Kind)
	if method == "" {
		return "", fmt.Errorf("%s has no wx-server-sdk call (cloud.openapi.wxacode has getUnlimited, get and createQRCode): call it over HTTPS", p.Kind)
	}
	body, err := p.Request().Body()
	if err != nil {
		return "", err
	}
	args, err := camelObject(body, "    ")
	if err != nil {
		return "", err
	}
	ext := "jpg"
	if p.Hyaline && p.Kind != wechat.KindQRCode {
		ext = "png"
	}
	api := "wxacode." + method
	var b strings.Builder
	fmt.Fprintf(&b, `// index.js of a cloud function (wx-server-sdk): no access token needed
const cloud = require('wx-server-sdk')
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })

exports.main = async () => {
  // An errcode from WeChat throws: err.errCode, err.errMsg.
  const result = await cloud.openapi.%s(%s)
  // result.buffer is the image, result.contentType its type:
  // store it, or return it base64-encoded.
  const { fileID } = await cloud.uploadFile({
    cloudPath: 'wxacode/' + Date.now() + '.%s',
    fileContent: result.buffer,
  })
  return fileID
}

// config.json beside index.js (needed by older set-ups):
{
  "permissions": {
    "openapi": ["%s"]
  }
}
`, api, args, ext, api)
	return b.String(), nil
}

// camelObject writes a JSON object (the request body) as a JavaScript
// object literal in key order, each top-level key in camelCase; values
// stay JSON, which is JavaScript too. indent is the keys' indentation.
func camelObject(body []byte, indent string) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "", fmt.Errorf("snippet: the body is not a JSON object")
	}
	var b strings.Builder
	b.WriteString("{\n")
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return "", fmt.Errorf("snippet: %w", err)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return "", fmt.Errorf("snippet: %w", err)
		}
		v, err := spaced(raw)
		if err != nil {
			return "", fmt.Errorf("snippet: %w", err)
		}
		fmt.Fprintf(&b, "%s%s: %s,\n", indent, Camel(t.(string)), v)
	}
	b.WriteString(indent[:len(indent)-2] + "}")
	return b.String(), nil
}

// Camel is a snake_case key in camelCase (check_path → checkPath), the
// inverse of wx-server-sdk's convertCase for the code endpoints' keys.
func Camel(key string) string {
	parts := strings.Split(key, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// spaced writes a JSON value on one line with a space after each colon and
// comma between tokens ({"r": "26", "g": "173"}), strings as they were:
// spacing is added between tokens, never inside a string.
func spaced(raw json.RawMessage) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var b strings.Builder
	// stack holds, for each open object or array, whether the next token
	// is its first, and whether a key comes next (objects).
	type level struct{ first, object, key bool }
	var stack []level
	for {
		t, err := dec.Token()
		if err == io.EOF {
			return b.String(), nil
		}
		if err != nil {
			return "", err
		}
		if d, ok := t.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			b.WriteByte(byte(d))
			if n := len(stack); n > 0 && stack[n-1].object {
				stack[n-1].key = true
			}
			continue
		}
		if n := len(stack); n > 0 {
			l := &stack[n-1]
			switch {
			case l.object && !l.key:
				b.WriteString(": ")
			case !l.first:
				b.WriteString(", ")
			}
			l.first = false
		}
		switch v := t.(type) {
		case json.Delim:
			b.WriteByte(byte(v))
			stack = append(stack, level{first: true, object: v == '{', key: v == '{'})
			continue
		case string:
			// As the body writes it: & < > stay themselves.
			var q bytes.Buffer
			enc := json.NewEncoder(&q)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(v); err != nil {
				return "", err
			}
			b.Write(bytes.TrimSuffix(q.Bytes(), []byte("\n")))
		case json.Number:
			b.WriteString(v.String())
		case bool:
			fmt.Fprint(&b, v)
		case nil:
			b.WriteString("null")
		}
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].key = !stack[n-1].key
		}
	}
}
