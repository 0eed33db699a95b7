package codec

import "testing"

// BenchmarkDecode measures Decode of a valid code: the part of verification
// that is offcode's own, before the Ed25519 check (BENCHMARKS.md).
func BenchmarkDecode(b *testing.B) {
	text := Encode(testCOSE())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(text); err != nil {
			b.Fatal(err)
		}
	}
}
