module github.com/offcode/offcode

go 1.26.8

require (
	filippo.io/edwards25519 v1.2.0
	github.com/fxamacker/cbor/v2 v2.10.0
	golang.org/x/crypto v0.58.0
)

require (
	github.com/x448/float16 v0.8.4 // indirect
	golang.org/x/sys v0.49.0 // indirect
)
