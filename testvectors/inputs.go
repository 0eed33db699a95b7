package testvectors

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"sort"
	"strings"
	"time"
)

// IDVector is an ID number vector (SPEC.md §10.4): an ID number as typed and
// what validating it at Now must give.
type IDVector struct {
	Name, Description string
	Input             string
	Now               time.Time
	// Error is the expected input error, one of idErrors, or "" if the
	// number is valid; Normalised is then its normalised form.
	Error, Normalised string
}

// TrustVector is a trust-store vector (SPEC.md §10.5): a JWK Set document,
// byte for byte, and whether loading it succeeds.
type TrustVector struct {
	Name, Description string
	JWKSet            []byte
	// Error is the reason the store is refused, one of trustErrors, or ""
	// if it loads; Keys is then the number of keys it holds.
	Error string
	Keys  int
}

// allIDs parses every ID number vector, sorted by name.
func allIDs() ([]IDVector, error) {
	var out []IDVector
	err := walk("ids", func(name string, b []byte) error {
		var w struct {
			Name        string `json:"name"`
			Description string `json:"description"`
			Input       string `json:"input"`
			Now         string `json:"now"`
			NowUnix     int64  `json:"now_unix"`
			Expected    struct {
				Error      *string `json:"error"`
				Normalised *string `json:"normalised"`
			} `json:"expected"`
		}
		if err := strictJSON(b, &w, "name", "description", "input", "now", "now_unix", "expected"); err != nil {
			return err
		}
		v := IDVector{Name: w.Name, Description: w.Description, Input: w.Input}
		var err error
		if v.Now, err = time.Parse(time.RFC3339Nano, w.Now); err != nil {
			return fmt.Errorf("now: %w", err)
		}
		e := w.Expected
		switch {
		case v.Name != name:
			return fmt.Errorf("name is %q, want %q", v.Name, name)
		case v.Description == "":
			return errors.New("description is empty")
		case v.Now.Unix() != w.NowUnix:
			return fmt.Errorf("now_unix %d is not now %s", w.NowUnix, w.Now)
		case (e.Error == nil) == (e.Normalised == nil):
			return errors.New("exactly one of expected.error and expected.normalised must be set")
		case e.Error != nil && !slices.Contains(idErrors, *e.Error):
			return fmt.Errorf("expected error %q is not one of %v", *e.Error, idErrors)
		}
		if e.Error != nil {
			v.Error = *e.Error
		} else {
			v.Normalised = *e.Normalised
		}
		out = append(out, v)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	if err == nil && len(out) < minIDCount {
		err = fmt.Errorf("testvectors: %d ID number vectors, want at least %d", len(out), minIDCount)
	}
	return out, err
}

// allTrust parses every trust-store vector, sorted by name.
func allTrust() ([]TrustVector, error) {
	var out []TrustVector
	err := walk("trust", func(name string, b []byte) error {
		var w struct {
			Name        string `json:"name"`
			Description string `json:"description"`
			JWKSet      string `json:"jwk_set"`
			Expected    struct {
				Error *string `json:"error"`
				Keys  *int    `json:"keys"`
			} `json:"expected"`
		}
		if err := strictJSON(b, &w, "name", "description", "jwk_set", "expected"); err != nil {
			return err
		}
		e := w.Expected
		switch {
		case w.Name != name:
			return fmt.Errorf("name is %q, want %q", w.Name, name)
		case w.Description == "":
			return errors.New("description is empty")
		case (e.Error == nil) == (e.Keys == nil):
			return errors.New("exactly one of expected.error and expected.keys must be set")
		case e.Error != nil && !slices.Contains(trustErrors, *e.Error):
			return fmt.Errorf("expected error %q is not one of %v", *e.Error, trustErrors)
		case e.Keys != nil && *e.Keys < 0:
			return errors.New("expected keys is negative")
		}
		v := TrustVector{Name: w.Name, Description: w.Description, JWKSet: []byte(w.JWKSet)}
		if e.Error != nil {
			v.Error = *e.Error
		} else {
			v.Keys = *e.Keys
		}
		out = append(out, v)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	if err == nil && len(out) < minTrustCount {
		err = fmt.Errorf("testvectors: %d trust-store vectors, want at least %d", len(out), minTrustCount)
	}
	return out, err
}

// walk calls f with the name and content of every <name>.json in dir.
func walk(dir string, f func(name string, b []byte) error) error {
	entries, err := files.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("testvectors: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		b, err := files.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return fmt.Errorf("testvectors: %w", err)
		}
		if err := f(strings.TrimSuffix(e.Name(), ".json"), b); err != nil {
			return fmt.Errorf("testvectors: %s/%s: %w", dir, e.Name(), err)
		}
	}
	return nil
}

// strictJSON is strictObject for the ID and trust-store vectors, whose
// expected object has exactly two members.
func strictJSON(b []byte, v any, required ...string) error {
	if err := strictObject(b, v, required...); err != nil {
		return err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return err
	}
	var exp map[string]json.RawMessage
	if err := json.Unmarshal(top["expected"], &exp); err != nil || len(exp) != 2 {
		return errors.New("expected must be an object with its two members")
	}
	return nil
}

// strictObject decodes b into v refusing unknown members and trailing data,
// and requires the top-level members named in required.
func strictObject(b []byte, v any, required ...string) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON object")
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return err
	}
	for _, k := range required {
		if _, ok := top[k]; !ok {
			return fmt.Errorf("member %s is missing", k)
		}
	}
	return nil
}
