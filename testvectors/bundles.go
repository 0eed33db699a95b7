package testvectors

import (
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"
)

// minBundleCount is the least number of trust-bundle vectors Load returns
// without error.
const minBundleCount = 70

// bundleAcceptance is the closed set of bundle acceptance verdicts
// (SPEC.md §13.8).
var bundleAcceptance = []string{"accepted", "malformed_bundle", "unknown_root", "bad_root_signature", "rollback", "delta_mismatch"}

// bundleVerdicts is the closed set of verdicts of a code under a bundle:
// those of SPEC.md §8.2 and those §13.9 adds.
var bundleVerdicts = append(slices.Clip(verdicts), "key_revoked", "kind_not_allowed", "revoked", "identity_revoked", "stale_trust")

// BundleVector is a trust-bundle vector (SPEC.md §13.11).
type BundleVector struct {
	Name, Description string
	// RootPublicKeys are the provisioned root keys; HeldPayload is the
	// payload of the full bundle the device holds (nil for none) and
	// HeldSequence its sequence.
	RootPublicKeys [][]byte
	HeldPayload    []byte
	HeldSequence   uint64
	// Bundle is the file offered; Payload and PayloadDiag show its payload
	// ("" / nil where the envelope does not parse).
	Bundle, Payload []byte
	PayloadDiag     string
	// Code is a code verified under the bundle once accepted, or nil.
	Code *BundleCode
	// Acceptance is one of bundleAcceptance; Sequence is the sequence held
	// afterwards.
	Acceptance string
	Sequence   uint64
	// Verdict is the code's verdict, one of bundleVerdicts, when Code is
	// set; StaleSeconds is how stale the bundle was at the code's clock.
	Verdict      string
	StaleSeconds int64
}

// BundleCode is the code of a BundleVector and its context.
type BundleCode struct {
	Text        string
	Now         time.Time
	SkewSeconds int64
	RefuseStale bool
}

// allBundles parses every trust-bundle vector strictly, sorted by name.
func allBundles() ([]BundleVector, error) {
	var out []BundleVector
	err := walk("bundles", func(name string, b []byte) error {
		var w struct {
			Name        string `json:"name"`
			Description string `json:"description"`
			Context     struct {
				RootPublicKeys []string `json:"root_public_keys"`
				HeldPayloadHex string   `json:"held_payload_hex"`
				HeldSequence   uint64   `json:"held_sequence"`
			} `json:"context"`
			Stages struct {
				BundleHex   string `json:"bundle_hex"`
				PayloadHex  string `json:"payload_hex"`
				PayloadDiag string `json:"payload_diag"`
			} `json:"stages"`
			Code *struct {
				Text        string `json:"text"`
				Now         string `json:"now"`
				NowUnix     int64  `json:"now_unix"`
				SkewSeconds int64  `json:"skew_seconds"`
				RefuseStale bool   `json:"refuse_stale"`
			} `json:"code"`
			Expected struct {
				Bundle       string `json:"bundle"`
				Sequence     uint64 `json:"sequence"`
				Verdict      string `json:"verdict"`
				StaleSeconds int64  `json:"stale_seconds"`
			} `json:"expected"`
		}
		if err := strictObject(b, &w, "name", "description", "context", "stages", "expected"); err != nil {
			return err
		}
		v := BundleVector{Name: w.Name, Description: w.Description, HeldSequence: w.Context.HeldSequence,
			PayloadDiag: w.Stages.PayloadDiag, Acceptance: w.Expected.Bundle, Sequence: w.Expected.Sequence,
			Verdict: w.Expected.Verdict, StaleSeconds: w.Expected.StaleSeconds}
		var err error
		for _, k := range w.Context.RootPublicKeys {
			pk, err := hex.DecodeString(k)
			if err != nil || len(pk) != 32 {
				return fmt.Errorf("root public key %q is not 32 bytes of hex", k)
			}
			v.RootPublicKeys = append(v.RootPublicKeys, pk)
		}
		for _, h := range []struct {
			s   string
			dst *[]byte
		}{{w.Context.HeldPayloadHex, &v.HeldPayload}, {w.Stages.BundleHex, &v.Bundle}, {w.Stages.PayloadHex, &v.Payload}} {
			if *h.dst, err = hex.DecodeString(h.s); err != nil {
				return fmt.Errorf("hex: %w", err)
			}
		}
		if w.Code != nil {
			c := &BundleCode{Text: w.Code.Text, SkewSeconds: w.Code.SkewSeconds, RefuseStale: w.Code.RefuseStale}
			if c.Now, err = time.Parse(time.RFC3339Nano, w.Code.Now); err != nil || c.Now.Unix() != w.Code.NowUnix {
				return fmt.Errorf("code.now %q does not parse or disagrees with now_unix", w.Code.Now)
			}
			v.Code = c
		}
		switch {
		case v.Name != name:
			return fmt.Errorf("name is %q, want %q", v.Name, name)
		case v.Description == "" || len(v.Bundle) == 0 || len(v.RootPublicKeys) == 0:
			return errors.New("description, bundle or root keys missing")
		case (len(v.HeldPayload) == 0) != (v.HeldSequence == 0):
			return errors.New("held_payload_hex and held_sequence go together")
		case !slices.Contains(bundleAcceptance, v.Acceptance):
			return fmt.Errorf("expected bundle %q is not one of %v", v.Acceptance, bundleAcceptance)
		case (v.Code != nil) != (v.Verdict != ""):
			return errors.New("expected verdict must be set exactly when there is a code")
		case v.Verdict != "" && !slices.Contains(bundleVerdicts, v.Verdict):
			return fmt.Errorf("expected verdict %q is not one of %v", v.Verdict, bundleVerdicts)
		}
		out = append(out, v)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	if err == nil && len(out) < minBundleCount {
		err = fmt.Errorf("testvectors: %d bundle vectors, want at least %d", len(out), minBundleCount)
	}
	return out, err
}
