package sign_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"testing"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/format"
	"github.com/offcode/offcode/internal/testkit/vectortest"
	"github.com/offcode/offcode/sign"
	"github.com/offcode/offcode/testvectors"
)

// vectorKeys are the test keys of the conformance vectors: key N has the
// Ed25519 seed SHA-256("offcode test vector key N") (testvectors/README.md).
func vectorKeys() []*sign.Key {
	var keys []*sign.Key
	for n := 1; n <= 3; n++ {
		seed := sha256.Sum256(fmt.Appendf(nil, "offcode test vector key %d", n))
		keys = append(keys, sign.NewKey(ed25519.NewKeyFromSeed(seed[:])))
	}
	return keys
}

// TestVectors re-signs the payload of every valid conformance vector with
// the test key that made it: Ed25519 is deterministic, so package sign must
// reproduce the vector's COSE_Sign1 and text byte for byte.
func TestVectors(t *testing.T) {
	vs := vectortest.Load[testvectors.Vector](t)
	keys := vectorKeys()
	var reissued int
	for _, v := range vs {
		if v.Expected.Verdict != "valid" {
			continue
		}
		t.Run(v.Name, func(t *testing.T) {
			m, err := codec.Decode(v.Text)
			if err != nil {
				t.Fatalf("Decode(%s) = %v", v.Name, err)
			}
			for _, k := range keys {
				if k.KeyID() == m.KeyID {
					checkReissue(t, v, m, k)
					reissued++
					return
				}
			}
			// A code whose kid is not SHA-256(key)[:8] cannot come from
			// signPayload; it must still be one of the test keys' plain
			// Ed25519 signatures over the Sig_structure.
			tbs := format.AppendSigStructure(nil, m.Protected, m.Payload)
			for i, k := range keys {
				if ed25519.Verify(k.Public(), tbs, m.Signature) {
					seed := sha256.Sum256(fmt.Appendf(nil, "offcode test vector key %d", i+1))
					if sig := ed25519.Sign(ed25519.NewKeyFromSeed(seed[:]), tbs); !bytes.Equal(sig, m.Signature) {
						t.Errorf("%s: signature is not test key %d's deterministic signature", v.Name, i+1)
					}
					return
				}
			}
			t.Errorf("%s: no test key signed the code", v.Name)
		})
	}
	if reissued < 6 {
		t.Errorf("re-issued %d valid vectors, want at least 6", reissued)
	}
}

func checkReissue(t *testing.T, v testvectors.Vector, m *codec.Code, k *sign.Key) {
	t.Helper()
	if got := k.SignPayload(v.Payload); !bytes.Equal(got, v.COSE) {
		t.Errorf("signPayload(%s payload) = %x, want %x", v.Name, got, v.COSE)
	}
	text, err := k.Issue(&m.Claims)
	if err != nil {
		t.Fatalf("Issue(%s) = %v", v.Name, err)
	}
	if text != v.Text {
		t.Errorf("Issue(%s) = %q, want %q", v.Name, text, v.Text)
	}
}
