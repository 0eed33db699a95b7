package verify

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// AddToJWKSet returns the JWK Set document set with k appended to its keys,
// keeping every other member of the set and of its keys as written,
// including members offcode does not know (RFC 7517 §4). A nil or empty set
// is a new JWK Set. If the set already holds k's public key under k's kid,
// AddToJWKSet returns set unchanged and false. The result is checked with
// ParseJWKSet; errors wrap ErrTrustStore.
func AddToJWKSet(set []byte, k TrustedKey) ([]byte, bool, error) {
	members := map[string]json.RawMessage{}
	keys := []json.RawMessage{}
	if len(bytes.TrimSpace(set)) > 0 {
		ts, err := ParseJWKSet(set)
		if err != nil {
			return nil, false, err
		}
		for _, old := range ts.keys {
			if old.KeyID == k.KeyID && bytes.Equal(old.Public, k.Public) {
				return set, false, nil
			}
		}
		if err := json.Unmarshal(set, &members); err != nil {
			return nil, false, fmt.Errorf("%w: %v", ErrTrustStore, err)
		}
		if err := json.Unmarshal(members["keys"], &keys); err != nil {
			return nil, false, fmt.Errorf("%w: %v", ErrTrustStore, err)
		}
	}
	one := NewTrustStore()
	if err := one.Add(k); err != nil {
		return nil, false, err
	}
	b, err := one.MarshalJWKSet()
	if err != nil {
		return nil, false, err
	}
	var added struct{ Keys []json.RawMessage }
	if err := json.Unmarshal(b, &added); err != nil {
		return nil, false, err
	}
	if members["keys"], err = json.Marshal(append(keys, added.Keys...)); err != nil {
		return nil, false, err
	}
	out, err := json.MarshalIndent(members, "", "  ")
	if err != nil {
		return nil, false, err
	}
	out = append(out, '\n')
	if _, err := ParseJWKSet(out); err != nil {
		return nil, false, fmt.Errorf("%w: the new set does not parse (a bug): %v", ErrTrustStore, err)
	}
	return out, true, nil
}
