package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/offcode/offcode/bundle"
	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/internal/bundledraft"
	"github.com/offcode/offcode/internal/service"
)

const bundlePullUsage = `Import the signing service's pending revocations into a bundle draft.

Usage:
    offcode bundle pull --from FILE|URL [--after N] DRAFT

Reads the revocations recorded at the service (POST /v1/revocations) and adds
them to DRAFT: a code's serial, or every code of a person issued before the
time of the revocation. Nothing is retyped. The next "offcode bundle sign"
carries them to devices. Pulling the same revocation twice changes nothing.

--from is a file saved from GET /v1/revocations (curl ... > revocations.json,
carried to the offline machine), or the service's URL; then the token, with
scope revoke, comes from $OFFCODE_TOKEN. The last line says the --after to
give next time.

Options:
    --from FILE|URL   the export, or the service (http://HOST:PORT)
    --after N         only revocations after sequence number N (with a URL)

Examples:
    $ curl -s -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/v1/revocations > revocations.json
    $ offcode bundle pull --from revocations.json bundle.draft
    $ offcode bundle sign --key root.key bundle.draft bundle.cbor
`

// maxRevocationExport bounds an export read by bundle pull.
const maxRevocationExport = 64 << 20

func runBundlePull(e *env, args []string) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		fmt.Fprint(e.stdout, bundlePullUsage)
		return exitOK
	}
	fset := newFlagSet("bundle pull")
	var from string
	var after int64
	fset.StringVar(&from, "from", "", "")
	fset.Int64Var(&after, "after", 0, "")
	pos, code, ok := e.parseArgs(fset, bundlePullUsage, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		e.errorf("bundle pull: want one DRAFT file")
		e.hintf("run \"offcode bundle pull --help\" for its options and examples")
		return exitUsage
	}
	if !e.require("bundle pull", "from", from) {
		return exitUsage
	}
	page, err := e.readRevocations(from, after)
	if err != nil {
		e.errorf("bundle pull: %v", err)
		return exitUsage
	}
	b, err := bundledraft.Read(pos[0])
	if err != nil {
		e.errorf("bundle pull: %v", err)
		return exitUsage
	}
	codes, people, err := applyRevocations(b, page.Revocations)
	if err != nil {
		e.errorf("bundle pull: %v", err)
		return exitUsage
	}
	if err := bundledraft.Write(pos[0], b); err != nil {
		e.errorf("bundle pull: %v", err)
		return exitUsage
	}
	e.infof("added %d code and %d person revocations to %s; next time: --after %d", codes, people, pos[0], page.Next)
	e.hintf("devices see them once you sign and publish: offcode bundle sign --key root.key %s bundle.cbor", pos[0])
	return exitOK
}

// readRevocations reads an export from a file or from the service.
func (e *env) readRevocations(from string, after int64) (*service.RevocationPage, error) {
	var data []byte
	if strings.HasPrefix(from, "http://") || strings.HasPrefix(from, "https://") {
		token := e.getenv("OFFCODE_TOKEN")
		if token == "" {
			return nil, fmt.Errorf("reading from the service needs a token with scope revoke in $OFFCODE_TOKEN")
		}
		u, err := url.Parse(strings.TrimSuffix(from, "/") + "/v1/revocations?after=" + strconv.FormatInt(after, 10))
		if err != nil {
			return nil, fmt.Errorf("--from: %v", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, "GET", u.String(), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		data, err = io.ReadAll(io.LimitReader(resp.Body, maxRevocationExport))
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s answered %s: %s", u.Redacted(), resp.Status, bytes.TrimSpace(data))
		}
	} else {
		f, err := os.Open(from)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if data, err = io.ReadAll(io.LimitReader(f, maxRevocationExport+1)); err != nil {
			return nil, err
		}
		if len(data) > maxRevocationExport {
			return nil, fmt.Errorf("%s is larger than %d bytes", from, maxRevocationExport)
		}
	}
	var page service.RevocationPage
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&page); err != nil {
		return nil, fmt.Errorf("%s is not a revocation export (GET /v1/revocations): %v", from, err)
	}
	return &page, nil
}

// applyRevocations adds each entry to the draft.
func applyRevocations(b *bundle.Bundle, rvs []service.RevocationEntry) (codes, people int, err error) {
	for _, rv := range rvs {
		switch {
		case rv.Serial != "":
			s, err1 := hex.DecodeString(rv.Serial)
			k, err2 := base64.RawURLEncoding.DecodeString(rv.KeyID)
			if err1 != nil || err2 != nil || len(s) != codec.SerialSize || len(k) != len(codec.KeyID{}) {
				return codes, people, fmt.Errorf("revocation %d: serial or kid malformed", rv.Seq)
			}
			c := &codec.Code{}
			copy(c.Claims.Serial[:], s)
			copy(c.KeyID[:], k)
			b.RevokeCode(c)
			codes++
		case rv.Identity != "":
			h, err := service.ParseIdentityHex(rv.Identity)
			if err != nil {
				return codes, people, fmt.Errorf("revocation %d: %v", rv.Seq, err)
			}
			before, err := time.Parse(time.RFC3339, rv.Before)
			if err != nil {
				return codes, people, fmt.Errorf("revocation %d: before: %v", rv.Seq, err)
			}
			if err := b.RevokePerson(h, before); err != nil {
				return codes, people, fmt.Errorf("revocation %d: %v", rv.Seq, err)
			}
			people++
		default:
			return codes, people, fmt.Errorf("revocation %d names neither a code nor a person", rv.Seq)
		}
	}
	return codes, people, nil
}
