// Package testvectors holds the offcode conformance test vectors
// (SPEC.md §10) and loads them for tests.
//
// Each vector is one JSON file, <name>.json, carrying every stage of a code
// (payload CBOR in hex and diagnostic notation, the COSE_Sign1 bytes, the
// text form), the context to verify it in (a trust store as a JWK Set, a
// validation clock, a skew tolerance, a presented ID number) and the
// expected result of each verification step with a final verdict. The
// format is documented in README.md.
//
// The files are written by internal/tools/vectorgen and bundlegen from fixed
// seeds and are never edited by hand; a test regenerates them and compares
// byte for byte. They are embedded in this package (FS) so that every
// package that parses or verifies codes can walk all of them with Load, one
// strict parser for every kind of vector. The package does not import
// testing.
package testvectors

//go:generate go run ../internal/tools/vectorgen -out .

import (
	"bytes"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

// minCount is the least number of code vectors the package holds: Load
// fails if it finds fewer, so a lost file cannot go unnoticed.
// minIDCount, minTrustCount and minBundleCount do the same for the other
// kinds.
const (
	minCount      = 160
	minIDCount    = 25
	minTrustCount = 40
)

//go:embed *.json ids/*.json trust/*.json bundles/*.json
var files embed.FS

// FS returns the embedded vector files: the code vectors as <name>.json and
// the other kinds in ids/, trust/ and bundles/. The vectors are these files;
// Load parses them.
func FS() fs.FS { return files }

// Load parses every vector of one kind, sorted by name: the code vectors
// (Vector), the ID number vectors (IDVector), the trust-store vectors
// (TrustVector) or the trust-bundle vectors (BundleVector). It fails on a
// file that is not exactly in the documented format (an unknown or missing
// field, a name that differs from the file name, malformed hex, an expected
// value outside its closed set, an inconsistent clock), and if it finds
// fewer vectors of the kind than the package was generated with, so that a
// test walking them can never pass on a shrunken or empty set.
func Load[V Vector | IDVector | TrustVector | BundleVector]() ([]V, error) {
	var out []V
	var err error
	switch p := any(&out).(type) {
	case *[]Vector:
		*p, err = all()
	case *[]IDVector:
		*p, err = allIDs()
	case *[]TrustVector:
		*p, err = allTrust()
	case *[]BundleVector:
		*p, err = allBundles()
	}
	return out, err
}

// verdicts is the closed set of code verdicts (SPEC.md §8.2). parse refuses
// a vector whose expected verdict is not one of them.
var verdicts = []string{
	"valid", "too_large", "bad_prefix", "bad_base45", "malformed", "trailing_bytes",
	"indefinite_length", "duplicate_key", "noncanonical_cbor", "bad_tag", "unsupported_alg",
	"missing_kid", "bad_header", "missing_claim", "unknown_claim", "bad_claim", "unknown_kid",
	"noncanonical_signature", "bad_signature", "key_not_valid", "window_too_long",
	"not_yet_valid", "expired", "id_mismatch",
}

// idErrors is the closed set of ID number input errors (SPEC.md §5.1, §10.4).
var idErrors = []string{"length", "characters", "check_digit", "birth_date"}

// trustErrors is the closed set of reasons a trust store is refused
// (SPEC.md §9.1, §10.5).
var trustErrors = []string{"not_json", "duplicate_member", "no_keys", "missing_member",
	"private_key", "bad_member_type", "bad_value", "bad_public_key", "bad_kid", "bad_period"}

// Vector is one test vector.
type Vector struct {
	// Name is the vector's snake_case name, also its file name without
	// ".json".
	Name        string
	Description string

	// The stages of the code. Payload and PayloadDiag are the CBOR claims
	// payload and its diagnostic notation (RFC 8949 §8, with encoding
	// indicators for non-shortest arguments); COSE is the tagged
	// COSE_Sign1 message; Text is the code's text form, the input of
	// verification. A stage the case does not have is nil or "", and
	// PayloadDiag is also "" for a payload that is not well-formed CBOR.
	Payload, COSE     []byte
	PayloadDiag, Text string

	// Trust is the trust store, a JWK Set.
	Trust json.RawMessage
	// Now is the validation clock.
	Now time.Time
	// Skew is the tolerance for an iat in the future, in whole seconds.
	Skew time.Duration
	// PresentedID is the ID number presented with the code, or "" if none.
	PresentedID string

	Expected Expected
}

// Expected is the expected result of each verification step, evaluated
// independently of the others wherever its input exists. A nil result
// means the step cannot run (the code did not decode) or does not apply
// (identity, when no ID is presented).
type Expected struct {
	// Decode is whether the text decodes (SPEC.md §8 steps 1-6).
	// It is never nil.
	Decode *bool
	// Signature is whether a trusted key valid at the code's iat
	// authenticates it (steps 7-9).
	Signature *bool
	// Window is whether the clock is inside the code's validity window and
	// the window is at most 7 days (step 10).
	Window *bool
	// Identity is whether the presented ID matches the code's identity
	// hash (step 11).
	Identity *bool
	// Verdict is the final verdict, from the closed set of SPEC.md §8.2.
	Verdict string
}

// all parses every code vector, sorted by name.
func all() ([]Vector, error) {
	names, err := files.ReadDir(".")
	if err != nil {
		return nil, fmt.Errorf("testvectors: %w", err)
	}
	var vs []Vector
	for _, e := range names {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") { // ids/, trust/, bundles/: the other kinds
			continue
		}
		b, err := files.ReadFile(e.Name())
		if err != nil {
			return nil, fmt.Errorf("testvectors: %w", err)
		}
		v, err := parse(b)
		if err != nil {
			return nil, fmt.Errorf("testvectors: %s: %w", e.Name(), err)
		}
		if want := strings.TrimSuffix(path.Base(e.Name()), ".json"); v.Name != want {
			return nil, fmt.Errorf("testvectors: %s: name is %q, want %q", e.Name(), v.Name, want)
		}
		vs = append(vs, v)
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].Name < vs[j].Name })
	if len(vs) < minCount {
		return nil, fmt.Errorf("testvectors: %d code vectors, want at least %d", len(vs), minCount)
	}
	return vs, nil
}

// The JSON form of a vector (README.md).
type wireVector struct {
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Stages      wireStages   `json:"stages"`
	Context     wireContext  `json:"context"`
	Expected    wireExpected `json:"expected"`
}

type wireStages struct {
	PayloadHex  string `json:"payload_hex"`
	PayloadDiag string `json:"payload_diag"`
	COSEHex     string `json:"cose_hex"`
	Text        string `json:"text"`
}

type wireContext struct {
	Trust       json.RawMessage `json:"trust"`
	Now         string          `json:"now"`
	NowUnix     int64           `json:"now_unix"`
	SkewSeconds int64           `json:"skew_seconds"`
	PresentedID *string         `json:"presented_id"`
}

type wireExpected struct {
	Decode    *bool  `json:"decode"`
	Signature *bool  `json:"signature"`
	Window    *bool  `json:"window"`
	Identity  *bool  `json:"identity"`
	Verdict   string `json:"verdict"`
}

// Members every object must have; presented_id is optional.
var required = []struct {
	object  string // "" for the top level
	members []string
}{
	{"", []string{"name", "description", "stages", "context", "expected"}},
	{"stages", []string{"payload_hex", "payload_diag", "cose_hex", "text"}},
	{"context", []string{"trust", "now", "now_unix", "skew_seconds"}},
	{"expected", []string{"decode", "signature", "window", "identity", "verdict"}},
}

var nameRE = regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)

// parse parses one code vector file strictly.
func parse(b []byte) (Vector, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var w wireVector
	if err := dec.Decode(&w); err != nil {
		return Vector{}, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return Vector{}, errors.New("data after the JSON object")
	}
	if err := checkRequired(b); err != nil {
		return Vector{}, err
	}
	v := Vector{
		Name:        w.Name,
		Description: w.Description,
		PayloadDiag: w.Stages.PayloadDiag,
		Text:        w.Stages.Text,
		Trust:       w.Context.Trust,
		Skew:        time.Duration(w.Context.SkewSeconds) * time.Second,
		Expected:    Expected(w.Expected),
	}
	if w.Context.PresentedID != nil {
		if *w.Context.PresentedID == "" {
			return Vector{}, errors.New("presented_id is empty; omit it instead")
		}
		v.PresentedID = *w.Context.PresentedID
	}
	var err error
	if v.Now, err = time.Parse(time.RFC3339Nano, w.Context.Now); err != nil {
		return Vector{}, fmt.Errorf("now: %w", err)
	}
	e := &v.Expected
	switch {
	case !nameRE.MatchString(v.Name):
		return Vector{}, fmt.Errorf("name %q is not snake_case", v.Name)
	case v.Description == "":
		return Vector{}, errors.New("description is empty")
	case v.Text == "":
		return Vector{}, errors.New("text is empty")
	case v.Now.Unix() != w.Context.NowUnix:
		return Vector{}, fmt.Errorf("now_unix %d is not now %s", w.Context.NowUnix, w.Context.Now)
	case w.Context.SkewSeconds < 0:
		return Vector{}, fmt.Errorf("skew_seconds %d is negative", w.Context.SkewSeconds)
	case len(v.Trust) == 0 || v.Trust[0] != '{':
		return Vector{}, errors.New("trust is not a JSON object")
	case e.Decode == nil:
		return Vector{}, errors.New("expected decode is null")
	case !*e.Decode && (e.Signature != nil || e.Window != nil || e.Identity != nil):
		return Vector{}, errors.New("expected signature, window and identity must be null when decode is false")
	case *e.Decode && (e.Signature == nil || e.Window == nil):
		return Vector{}, errors.New("expected signature and window must be set when decode is true")
	case *e.Decode && (e.Identity == nil) != (v.PresentedID == ""):
		return Vector{}, errors.New("expected identity must be set exactly when an ID is presented")
	case !slices.Contains(verdicts, e.Verdict):
		return Vector{}, fmt.Errorf("verdict %q is not one of SPEC.md §8.2", e.Verdict)
	case (e.Verdict == "valid") != (*e.Decode && *e.Signature && *e.Window && (e.Identity == nil || *e.Identity)):
		return Vector{}, fmt.Errorf("verdict %q contradicts the stage results", e.Verdict)
	case w.Stages.PayloadHex == "" && v.PayloadDiag != "":
		return Vector{}, errors.New("payload_diag without payload_hex")
	}
	for _, h := range []struct {
		name, s string
		dst     *[]byte
	}{{"payload_hex", w.Stages.PayloadHex, &v.Payload}, {"cose_hex", w.Stages.COSEHex, &v.COSE}} {
		b, err := hex.DecodeString(h.s)
		if err != nil || strings.ToLower(h.s) != h.s {
			return Vector{}, fmt.Errorf("%s is not lower-case hex", h.name)
		}
		if len(b) > 0 {
			*h.dst = b
		}
	}
	return v, nil
}

// checkRequired reports a member missing from an object of the vector, since
// a null and a missing member decode alike.
func checkRequired(b []byte) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return err
	}
	for _, r := range required {
		m := top
		if r.object != "" {
			m = nil
			if err := json.Unmarshal(top[r.object], &m); err != nil {
				return fmt.Errorf("%s: %w", r.object, err)
			}
		}
		for _, k := range r.members {
			if _, ok := m[k]; !ok {
				if r.object != "" {
					k = r.object + "." + k
				}
				return fmt.Errorf("member %s is missing", k)
			}
		}
	}
	return nil
}
