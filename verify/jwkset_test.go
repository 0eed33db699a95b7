package verify

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestAddToJWKSet(t *testing.T) {
	k1, k2 := seedKey(1), seedKey(2)
	set, added, err := AddToJWKSet(nil, TrustedKey{KeyID: k1.KeyID(), Public: k1.Public(), Issuer: "one"})
	if err != nil || !added {
		t.Fatalf("AddToJWKSet(nil) = %v, %v", added, err)
	}
	// Members offcode does not know, in the set and in a key, survive.
	var doc map[string]any
	if err := json.Unmarshal(set, &doc); err != nil {
		t.Fatal(err)
	}
	doc["x-note"] = "kept"
	doc["keys"].([]any)[0].(map[string]any)["x-key-note"] = "kept too"
	set, _ = json.Marshal(doc)

	again, added, err := AddToJWKSet(set, TrustedKey{KeyID: k1.KeyID(), Public: k1.Public()})
	if err != nil || added || !bytes.Equal(again, set) {
		t.Fatalf("AddToJWKSet(key held) = %v, %v; want the set unchanged", added, err)
	}
	out, added, err := AddToJWKSet(set, TrustedKey{KeyID: k2.KeyID(), Public: k2.Public()})
	if err != nil || !added {
		t.Fatalf("AddToJWKSet(new key) = %v, %v", added, err)
	}
	ts, err := ParseJWKSet(out)
	if err != nil || ts.Len() != 2 {
		t.Fatalf("ParseJWKSet(result) = %v, %v; want 2 keys", ts, err)
	}
	for _, want := range []string{`"x-note": "kept"`, `"x-key-note": "kept too"`} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("result lost %s:\n%s", want, out)
		}
	}
	if _, _, err := AddToJWKSet([]byte(`{"keys": 3}`), TrustedKey{KeyID: k2.KeyID(), Public: k2.Public()}); err == nil {
		t.Fatalf("AddToJWKSet(broken set) = nil error")
	}
}
