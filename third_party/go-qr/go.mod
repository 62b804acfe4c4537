module github.com/piglig/go-qr

go 1.21
