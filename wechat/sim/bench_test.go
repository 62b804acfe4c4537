package sim

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkServe measures codes served per second through the handler:
//
//	go test ./wechat/sim -run '^$' -bench Serve -benchtime 3s
func BenchmarkServe(b *testing.B) {
	for _, tc := range []struct {
		name, path, body string
	}{
		{"unlimited/430", pathB, `{"scene":"id=42&from=bench","width":430}`},
		{"unlimited/1280", pathB, `{"scene":"id=42&from=bench","width":1280}`},
		{"unlimited/430/hyaline", pathB, `{"scene":"id=42","width":430,"is_hyaline":true}`},
		{"unlimited/1280/hyaline", pathB, `{"scene":"id=42","width":1280,"is_hyaline":true}`},
		{"qrcode/430", pathC, `{"path":"pages/index/index?id=1","width":430}`},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s := newSim(b, func(c *Config) { c.Limits.UnlimitedPerMinute = -1 })
			tok := classic(b, s)
			target := tc.path + "?access_token=" + tok
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				req := httptest.NewRequest("POST", target, strings.NewReader(tc.body))
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				if rec.Header().Get("Content-Type") != "image/jpeg" {
					b.Fatal(fmt.Sprint(rec.Body.String()))
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "codes/s")
		})
	}
}
