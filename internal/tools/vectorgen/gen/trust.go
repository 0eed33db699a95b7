package gen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Trust-store vectors (SPEC.md §9.1, §10.5): a JWK Set document, byte for
// byte, and whether loading it must succeed (with how many keys) or be
// refused (with which reason).

type trustVector struct {
	name, desc string
	doc        string
	err        string // "" when the store loads
	keys       int
}

type trustFile struct {
	Name        string        `json:"name"`
	Description string        `json:"description"`
	JWKSet      string        `json:"jwk_set"`
	Expected    trustExpected `json:"expected"`
}

type trustExpected struct {
	Error *string `json:"error"`
	Keys  *int    `json:"keys"`
}

// keyJSON returns the members of test key n's JWK as JSON text without the
// braces, with extra members appended and the members named in drop left
// out.
func keyJSON(n int, extra string, drop ...string) string {
	k := trusted(n)
	members := []struct{ name, value string }{
		{"kty", `"` + k.Kty + `"`}, {"crv", `"` + k.Crv + `"`}, {"x", `"` + k.X + `"`},
		{"kid", `"` + k.Kid + `"`}, {"alg", `"EdDSA"`}, {"use", `"sig"`},
	}
	var parts []string
	for _, m := range members {
		if !containsString(drop, m.name) {
			parts = append(parts, `"`+m.name+`": `+m.value)
		}
	}
	if extra != "" {
		parts = append(parts, extra)
	}
	return strings.Join(parts, ", ")
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// set returns a JWK Set document holding the given key objects' members.
func set(keys ...string) string {
	objs := make([]string, len(keys))
	for i, k := range keys {
		objs[i] = "{" + k + "}"
	}
	return `{"keys": [` + strings.Join(objs, ", ") + "]}"
}

func trustCases() []trustVector {
	k1 := keyJSON(1, "")
	loads := func(name, desc, doc string, keys int) trustVector {
		return trustVector{name: name, desc: desc, doc: doc, keys: keys}
	}
	refused := func(name, desc, doc, reason string) trustVector {
		return trustVector{name: name, desc: desc, doc: doc, err: reason}
	}
	x1 := trusted(1).X
	return []trustVector{
		loads("valid_one_key", "Test key 1 with every member: loads.", set(k1), 1),
		loads("valid_empty", "An empty key array: a trust store may be empty.", `{"keys": []}`, 0),
		loads("valid_two_keys", "Test keys 1 and 2.", set(k1, keyJSON(2, "")), 2),
		loads("valid_only_required_members", "Test key 1 with only kty, crv, x and kid: alg and use are optional.", set(keyJSON(1, "", "alg", "use")), 1),
		loads("valid_unknown_members_ignored", "Test key 1 with members offcode does not know, of every JSON type, and \"KTY\", which is not kty "+
			"(names are compared exactly); the set has an unknown member too: all ignored.",
			`{"keys": [{`+k1+`, "KTY": 1, "x5c": null, "ext": {"a": [1.5, -2e3]}}], "comment": "test"}`, 1),
		loads("valid_period", "Test key 1 with issuer, nbf 0 and exp 253402300799 (9999-12-31T23:59:59Z), the bounds of a NumericDate.",
			set(keyJSON(1, `"issuer": "offcode test issuer 1", "nbf": 0, "exp": 253402300799`)), 1),
		loads("valid_period_equal", "nbf equals exp: a key valid for one second of issue times.", set(keyJSON(1, `"nbf": 1793433600, "exp": 1793433600`)), 1),
		refused("not_json_truncated", "The document ends early.", `{"keys": [{`+k1+`}]`, "not_json"),
		refused("not_json_array", "The document is a JSON array, not an object.", `[{`+k1+`}]`, "not_json"),
		refused("not_json_two_values", "Two JSON objects one after the other.", set(k1)+" {}", "not_json"),
		refused("duplicate_member_in_key", "Test key 1 with kty twice (the same value both times).", set(`"kty": "OKP", `+k1), "duplicate_member"),
		refused("duplicate_keys_member", "The set has \"keys\" twice, the first holding test key 1 and the second empty: a parser keeping either one "+
			"would disagree with one keeping the other.", `{"keys": [{`+k1+`}], "keys": []}`, "duplicate_member"),
		refused("duplicate_member_in_ignored_object", "An unknown member of the key holds an object with a member twice: duplicates are refused at any depth.",
			set(keyJSON(1, `"ext": {"a": 1, "a": 2}`)), "duplicate_member"),
		refused("duplicate_x_different_values", "Test key 1 with x twice, the second time test key 2's.", set(keyJSON(1, `"x": "`+trusted(2).X+`"`)), "duplicate_member"),
		refused("no_keys_member", "An object without \"keys\".", `{"kids": []}`, "no_keys"),
		refused("no_keys_null", "\"keys\" is null.", `{"keys": null}`, "no_keys"),
		refused("no_keys_object", "\"keys\" is an object holding a key, not an array.", `{"keys": {`+k1+`}}`, "no_keys"),
		refused("no_keys_element_not_object", "\"keys\" holds a string.", `{"keys": ["`+x1+`"]}`, "no_keys"),
		refused("missing_member_x", "Test key 1 without x.", set(keyJSON(1, "", "x")), "missing_member"),
		refused("missing_member_kid", "Test key 1 without kid.", set(keyJSON(1, "", "kid")), "missing_member"),
		refused("missing_member_kty_upper_case", "Test key 1 with \"KTY\": \"OKP\" in place of kty: names are compared exactly, so kty is missing.",
			set(`"KTY": "OKP", `+keyJSON(1, "", "kty")), "missing_member"),
		refused("private_key_empty", "Test key 1 with \"d\": \"\": any d refuses the store.", set(keyJSON(1, `"d": ""`)), "private_key"),
		refused("private_key_null", "Test key 1 with \"d\": null: any d refuses the store.", set(keyJSON(1, `"d": null`)), "private_key"),
		refused("bad_member_type_issuer_number", "Test key 1 with issuer 1, a number.", set(keyJSON(1, `"issuer": 1`)), "bad_member_type"),
		refused("bad_member_type_kid_null", "Test key 1 with kid null.", set(`"kid": null, `+keyJSON(1, "", "kid")), "bad_member_type"),
		refused("bad_member_type_alg_array", "Test key 1 with alg [\"EdDSA\"].", set(`"alg": ["EdDSA"], `+keyJSON(1, "", "alg")), "bad_member_type"),
		refused("bad_value_kty", "kty \"EC\".", set(`"kty": "EC", `+keyJSON(1, "", "kty")), "bad_value"),
		refused("bad_value_crv", "crv \"X25519\".", set(`"crv": "X25519", `+keyJSON(1, "", "crv")), "bad_value"),
		refused("bad_value_alg", "alg \"ES256\".", set(`"alg": "ES256", `+keyJSON(1, "", "alg")), "bad_value"),
		refused("bad_value_use", "use \"enc\".", set(`"use": "enc", `+keyJSON(1, "", "use")), "bad_value"),
		refused("bad_public_key_padded", "x with base64 padding \"=\".", set(`"x": "`+x1+`=", `+keyJSON(1, "", "x")), "bad_public_key"),
		refused("bad_public_key_31_bytes", "x of 31 bytes.", set(`"x": "`+b64.EncodeToString(pubOf(Key(1))[:31])+`", `+keyJSON(1, "", "x")), "bad_public_key"),
		refused("bad_public_key_small_order", "x is the identity point 01 00..00, of small order (SPEC.md §9.3).",
			set(`"x": "`+b64.EncodeToString(append([]byte{1}, make([]byte, 31)...))+`", `+keyJSON(1, "", "x")), "bad_public_key"),
		refused("bad_public_key_non_canonical", "x is the identity point written with y = p + 1 (ee ff..ff 7f), not canonical (SPEC.md §9.3).",
			set(`"x": "`+b64.EncodeToString(nonCanonicalIdentity())+`", `+keyJSON(1, "", "x")), "bad_public_key"),
		refused("bad_kid_7_bytes", "kid of 7 bytes.", set(`"kid": "`+b64.EncodeToString(kidOf(pubOf(Key(1)))[:7])+`", `+keyJSON(1, "", "kid")), "bad_kid"),
		refused("bad_kid_padded", "kid with padding \"=\".", set(`"kid": "`+trusted(1).Kid+`=", `+keyJSON(1, "", "kid")), "bad_kid"),
		refused("bad_period_fraction", "nbf written 1.0: a NumericDate is written as digits only.", set(keyJSON(1, `"nbf": 1.0`)), "bad_period"),
		refused("bad_period_exponent", "nbf written 1e9 (1,000,000,000): digits only.", set(keyJSON(1, `"nbf": 1e9`)), "bad_period"),
		refused("bad_period_negative", "nbf -1.", set(keyJSON(1, `"nbf": -1`)), "bad_period"),
		refused("bad_period_null", "exp null.", set(keyJSON(1, `"exp": null`)), "bad_period"),
		refused("bad_period_string", "exp \"1793433600\", a string.", set(keyJSON(1, `"exp": "1793433600"`)), "bad_period"),
		refused("bad_period_beyond_2_53", "exp 9007199254740993 (2^53 + 1), which a float64 JSON parser rounds; beyond 253402300799 anyway.",
			set(keyJSON(1, `"exp": 9007199254740993`)), "bad_period"),
		refused("bad_period_after_9999", "exp 253402300800, one second after 9999-12-31T23:59:59Z.", set(keyJSON(1, `"exp": 253402300800`)), "bad_period"),
		refused("bad_period_exp_before_nbf", "exp one second before nbf.", set(keyJSON(1, `"nbf": 1793433600, "exp": 1793433599`)), "bad_period"),
		refused("second_key_bad", "Test key 1, then a key with a private part: the whole store is refused, not just the second key.",
			set(k1, keyJSON(2, `"d": "`+b64.EncodeToString(KeySeed(2))+`"`)), "private_key"),
	}
}

// nonCanonicalIdentity is the identity point with y = p + 1.
func nonCanonicalIdentity() []byte {
	b := bytes.Repeat([]byte{0xff}, 32)
	b[0], b[31] = 0xee, 0x7f
	return b
}

func (v *trustVector) marshal() ([]byte, error) {
	if !nameRE.MatchString(v.name) || v.desc == "" {
		return nil, fmt.Errorf("gen: trust vector %q: bad name or no description", v.name)
	}
	f := trustFile{Name: v.name, Description: v.desc, JWKSet: v.doc}
	if v.err != "" {
		f.Expected.Error = &v.err
	} else {
		f.Expected.Keys = &v.keys
		if !json.Valid([]byte(v.doc)) {
			return nil, fmt.Errorf("gen: trust vector %s: a store that loads is not JSON", v.name)
		}
	}
	return marshalJSON(f)
}

// GenerateTrust returns every trust-store vector, by file name.
func GenerateTrust() (map[string][]byte, error) {
	files := make(map[string][]byte)
	for _, v := range trustCases() {
		b, err := v.marshal()
		if err != nil {
			return nil, err
		}
		if _, dup := files[v.name+".json"]; dup {
			return nil, fmt.Errorf("gen: two trust vectors named %s", v.name)
		}
		files[v.name+".json"] = b
	}
	return files, nil
}

// marshalJSON writes v as the vector files are written: indented, HTML
// characters unescaped, with a final newline.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
