package jpegluma

import "testing"

func BenchmarkIDCT(b *testing.B) {
	var blk [64]int32
	for i := range blk {
		blk[i] = int32(i*37%41) - 20
	}
	dst := make([]byte, 64*8)
	for b.Loop() {
		idct(&blk, dst, 64, 0xff)
	}
}
