package detcbor

import (
	"bytes"
	"errors"
	"testing"

	"github.com/fxamacker/cbor/v2"
)

func TestEncModeSortsKeys(t *testing.T) {
	b, err := EncMode().Marshal(map[int]int{-65537: 0, 7: 1, 4: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{0xa3, 0x04, 0x02, 0x07, 0x01, 0x3a, 0x00, 0x01, 0x00, 0x00, 0x00}
	if !bytes.Equal(b, want) {
		t.Fatalf("Marshal = %x, want %x", b, want)
	}
}

func TestDecModeIsStrict(t *testing.T) {
	dm := DecMode(Limits{MaxNestedLevels: 16, MaxArrayElements: 16, MaxMapPairs: 16})
	var v map[int]int
	var dup *cbor.DupMapKeyError
	if err := dm.Unmarshal([]byte{0xa2, 0x01, 0x00, 0x01, 0x00}, &v); !errors.As(err, &dup) {
		t.Fatalf("duplicate key: err = %v, want *cbor.DupMapKeyError", err)
	}
	var ind *cbor.IndefiniteLengthError
	if err := dm.Unmarshal([]byte{0xbf, 0x01, 0x00, 0xff}, &v); !errors.As(err, &ind) {
		t.Fatalf("indefinite map: err = %v, want *cbor.IndefiniteLengthError", err)
	}
	var x any
	if err := dm.Unmarshal([]byte{0xc1, 0x00}, &x); err == nil {
		t.Fatal("tag accepted")
	}
}
