package service

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/store"
	"github.com/offcode/offcode/render"
	"github.com/offcode/offcode/sign"
)

// IssueRequest is the body of POST /v1/codes.
type IssueRequest struct {
	ID     string `json:"id"`
	Colour string `json:"colour"`
	Color  string `json:"color,omitempty"`  // the same as colour, as the CLI's --color
	Kind   string `json:"kind,omitempty"`   // "personal" (default); "kin" is refused: kinship codes come through a binding
	Holder string `json:"holder,omitempty"` // printed on the PDF sheet only; never stored; at most 40 characters, at most the last 4 of an ID number
}

// CodeResponse is the body of a 201 response carrying a code.
type CodeResponse struct {
	Code      string `json:"code"`
	Serial    string `json:"serial"` // hex
	IssuedAt  string `json:"issued_at"`
	ExpiresAt string `json:"expires_at"`
	Colour    string `json:"colour"`
	Kind      string `json:"kind"`
	KeyID     string `json:"kid"` // base64url
	BindingID string `json:"binding_id,omitempty"`
}

// Response formats a client can ask for with Accept.
const (
	formatJSON = "application/json"
	formatPNG  = "image/png"
	formatPDF  = "application/pdf"

	formatNDJSON = "application/x-ndjson"
)

// maxHolder bounds the holder line, in characters.
const maxHolder = 40

// negotiate picks the response format from the Accept header.
func negotiate(r *http.Request, allowed ...string) (string, *apiError) {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return allowed[0], nil
	}
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || params["q"] == "0" {
			continue
		}
		switch mt {
		case "*/*", "application/*":
			return allowed[0], nil
		}
		for _, a := range allowed {
			if mt == a {
				return a, nil
			}
		}
	}
	return "", errorf(http.StatusNotAcceptable, CodeNotAcceptable, "can respond with %s", strings.Join(allowed, ", "))
}

// issueSpec is a validated request to issue one code.
type issueSpec struct {
	id        identity.ID
	colour    codec.Colour
	kind      codec.Kind
	holder    string
	bindingID string
	// known is set for kinship codes: the relative's stored hash.
	known *person
	// until is when a kinship code's relative stops being eligible.
	until time.Time
}

func (s *Service) parseIssue(req *IssueRequest, now time.Time) (*issueSpec, *apiError) {
	id, err := identity.ParseID(req.ID, now)
	if err != nil {
		return nil, idError("id", err)
	}
	colour, e := parseColour(pickColour(req.Colour, req.Color))
	if e != nil {
		return nil, e
	}
	switch req.Kind {
	case "", "personal":
	case "kin":
		return nil, errorf(http.StatusBadRequest, CodeInvalidKind, "kinship codes are issued through a binding: POST /v1/bindings/{binding_id}/codes")
	default:
		return nil, errorf(http.StatusBadRequest, CodeInvalidKind, "kind must be \"personal\"")
	}
	if e := checkHolder(req.Holder); e != nil {
		return nil, e
	}
	return &issueSpec{id: id, colour: colour, kind: codec.Personal, holder: req.Holder}, nil
}

// pickColour returns the colour a request gave as "colour" or "color";
// both, differing, is refused by parseColour as an unknown colour.
func pickColour(colour, color string) string {
	switch {
	case color == "":
		return colour
	case colour == "" || colour == color:
		return color
	}
	return colour + "/" + color
}

func parseColour(s string) (codec.Colour, *apiError) {
	c, err := codec.ParseColour(s)
	if err != nil {
		return 0, errorf(http.StatusBadRequest, CodeInvalidColour, "colour (or color) must be one of green, yellow or red")
	}
	return c, nil
}

func checkHolder(h string) *apiError {
	if h == "" {
		return nil
	}
	if !utf8.ValidString(h) || utf8.RuneCountInString(h) > maxHolder {
		return errorf(http.StatusBadRequest, CodeInvalidField, "holder must be at most %d characters", maxHolder)
	}
	if err := render.CheckHolder(h); err != nil {
		return errorf(http.StatusBadRequest, CodeInvalidField, "holder: %s", strings.TrimPrefix(err.Error(), "render: "))
	}
	return nil
}

// idError turns an ID parse error into invalid_id; the message names the
// field and the defect, never the number nor its birth date.
func idError(field string, err error) *apiError {
	msg := "not a valid ID number"
	if errors.Is(err, identity.ErrBirthDate) {
		msg = "its birth date is not possible"
	} else {
		for _, reason := range []error{identity.ErrLength, identity.ErrCharacter, identity.ErrCheckDigit} {
			if errors.Is(err, reason) {
				msg = maskRuns(strings.TrimPrefix(err.Error(), reason.Error()+": "), 6)
			}
		}
	}
	return errorf(http.StatusBadRequest, CodeInvalidID, "%s is not a valid resident ID number: %s", field, msg)
}

// issued is a signed code, not yet audited.
type issued struct {
	text   string
	claims *codec.Claims
	key    *sign.Key
	person person
	spec   *issueSpec
}

// sign makes and signs the code for spec at now. It looks up or computes
// the person's identity hash.
func (s *Service) sign(ctx context.Context, spec *issueSpec, now time.Time) (*issued, error) {
	var p person
	if spec.known != nil {
		p = *spec.known
	} else {
		var err error
		if p, err = s.lookupPerson(ctx, spec.id); err != nil {
			return nil, err
		}
	}
	c := &codec.Claims{
		IssuedAt: now.Truncate(time.Second).UTC(),
		Colour:   spec.colour,
		Kind:     spec.kind,
		Identity: p.identity,
	}
	c.ExpiresAt = c.IssuedAt.Add(codec.MaxValidity)
	if !spec.until.IsZero() && spec.until.Before(c.ExpiresAt) {
		// A kinship code ends with the relative's eligibility.
		c.ExpiresAt = spec.until.Truncate(time.Second).UTC()
	}
	if _, err := io.ReadFull(s.rand, c.Serial[:]); err != nil {
		return nil, err
	}
	k := s.key.Load()
	text, err := k.Issue(c)
	if err != nil {
		return nil, err
	}
	return &issued{text: text, claims: c, key: k, person: p, spec: spec}, nil
}

func (s *Service) record(is *issued, c *caller) *store.Record {
	return &store.Record{
		Serial:    is.claims.Serial,
		Person:    is.person.key,
		Identity:  is.claims.Identity,
		Colour:    is.claims.Colour,
		Kind:      is.claims.Kind,
		IssuedAt:  is.claims.IssuedAt,
		ExpiresAt: is.claims.ExpiresAt,
		KeyID:     is.key.KeyID(),
		Token:     c.token.Name,
		RequestID: c.requestID,
		BindingID: is.spec.bindingID,
	}
}

func (is *issued) response() *CodeResponse {
	return &CodeResponse{
		Code:      is.text,
		Serial:    hex.EncodeToString(is.claims.Serial[:]),
		IssuedAt:  is.claims.IssuedAt.Format(time.RFC3339),
		ExpiresAt: is.claims.ExpiresAt.Format(time.RFC3339),
		Colour:    is.claims.Colour.String(),
		Kind:      is.claims.Kind.String(),
		KeyID:     kidString(is.key),
		BindingID: is.spec.bindingID,
	}
}

func kidString(k *sign.Key) string { return k.KeyID().String() }

// issueOne signs, durably audits and writes one code in the negotiated
// format. The audit record is committed before any byte of the response is
// written.
func (s *Service) issueOne(w http.ResponseWriter, r *http.Request, spec *issueSpec, format string, now time.Time) *apiError {
	c := callerOf(r)
	is, err := s.sign(r.Context(), spec, now)
	if err != nil {
		return s.signError(r, err)
	}
	// Render before auditing, so a code that cannot be rendered is
	// neither recorded nor sent.
	var body bytes.Buffer
	switch format {
	case formatPNG:
		// The phone card (render.WriteCardPNG), as `offcode issue --out
		// card.png` writes it: colour, kind and expiry a person can read.
		if err := render.WriteCardPNG(&body, is.text, &render.Options{Holder: spec.holder}); err != nil {
			return s.internal(r, "rendering PNG", err)
		}
	case formatPDF:
		if err := render.WriteSheet(&body, is.text, &render.Options{Holder: spec.holder}); err != nil {
			return s.internal(r, "rendering PDF", err)
		}
	}
	if err := s.store.Record(r.Context(), s.record(is, c)); err != nil {
		return s.storeError(r, "recording", err)
	}
	s.metrics.issued.WithLabelValues(is.claims.Colour.String(), is.claims.Kind.String()).Inc()
	w.Header().Set("X-Offcode-Serial", hex.EncodeToString(is.claims.Serial[:]))
	switch format {
	case formatJSON:
		writeJSON(w, http.StatusCreated, is.response())
	default:
		w.Header().Set("Content-Type", format)
		w.WriteHeader(http.StatusCreated)
		w.Write(body.Bytes())
	}
	return nil
}

func (s *Service) handleIssue(w http.ResponseWriter, r *http.Request) *apiError {
	format, e := negotiate(r, formatJSON, formatPNG, formatPDF)
	if e != nil {
		return e
	}
	var req IssueRequest
	if e := decodeJSON(w, r, MaxBodySize, &req); e != nil {
		return e
	}
	now := s.now()
	spec, e := s.parseIssue(&req, now)
	if e != nil {
		return e
	}
	return s.issueOne(w, r, spec, format, now)
}

// BatchLine is one line of a POST /v1/codes/batch response: the code, or
// the error for that request. Line numbers count from 1.
type BatchLine struct {
	Line int `json:"line"`
	*CodeResponse
	Error *apiError `json:"error,omitempty"`
}

// handleBatch issues codes for a body of JSON lines, one IssueRequest per
// line (at most MaxBatchSize), and answers with JSON lines in the same
// order. Every line is checked before any code is signed: a line that is
// not valid JSON fails the whole call; a line with an invalid ID or colour
// gets its own error line. All the batch's records are committed in one
// transaction before the first line is written. The token's rate limit is
// charged one per line.
//
// With Accept: application/pdf the answer is one PDF of cards, eight to an
// A4 page, in the order of the lines; then any bad line fails the whole
// call and nothing is issued.
func (s *Service) handleBatch(w http.ResponseWriter, r *http.Request) *apiError {
	format, e := negotiate(r, formatNDJSON, formatJSON, formatPDF)
	if e != nil {
		return e
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBatchBody)
	now := s.now()
	lines, specs, e := s.parseBatch(r.Body, now)
	if e != nil {
		return e
	}
	if e := callerOf(r).charge(len(lines) - 1); e != nil { // the request paid for one
		return e
	}
	if format == formatPDF {
		if e := checkPDFBatch(lines, specs); e != nil {
			return e
		}
	}
	done, e := s.signBatch(r, specs, lines, now)
	if e != nil {
		return e
	}
	// As for one code: render first, so a code that cannot be rendered is
	// neither recorded nor sent.
	var pdf bytes.Buffer
	if format == formatPDF {
		if err := renderBatch(&pdf, done); err != nil {
			return s.internal(r, "rendering batch", err)
		}
	}
	c := callerOf(r)
	recs := make([]*store.Record, len(done))
	for i, is := range done {
		recs[i] = s.record(is, c)
	}
	if err := s.store.Record(r.Context(), recs...); err != nil {
		return s.storeError(r, "recording", err)
	}
	for _, is := range done {
		s.metrics.issued.WithLabelValues(is.claims.Colour.String(), is.claims.Kind.String()).Inc()
	}
	if format == formatPDF {
		w.Header().Set("Content-Type", formatPDF)
		w.Header().Set("X-Offcode-Codes", strconv.Itoa(len(done)))
		w.WriteHeader(http.StatusOK)
		w.Write(pdf.Bytes())
		return nil
	}
	s.writeBatchLines(w, lines)
	return nil
}

// parseBatch reads the JSON lines of a batch: a BatchLine for each request
// (with its error, if any) and the spec of each good one (nil for a bad).
func (s *Service) parseBatch(body io.Reader, now time.Time) ([]BatchLine, []*issueSpec, *apiError) {
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 0, 4096), MaxBodySize)
	var lines []BatchLine
	var specs []*issueSpec
	for n := 1; sc.Scan(); n++ {
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		if len(lines) == MaxBatchSize {
			return nil, nil, errorf(http.StatusRequestEntityTooLarge, CodeBatchTooLarge, "a batch holds at most %d requests", MaxBatchSize)
		}
		req, e := decodeLine(raw, n)
		if e != nil {
			return nil, nil, e
		}
		spec, e := s.parseIssue(req, now)
		lines = append(lines, BatchLine{Line: n, Error: e})
		specs = append(specs, spec)
	}
	if err := sc.Err(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) || errors.Is(err, bufio.ErrTooLong) {
			return nil, nil, errorf(http.StatusRequestEntityTooLarge, CodeTooLarge, "batch body or line too large")
		}
		return nil, nil, errorf(http.StatusBadRequest, CodeInvalidJSON, "reading batch: %v", err)
	}
	if len(lines) == 0 {
		return nil, nil, errorf(http.StatusBadRequest, CodeInvalidJSON, "empty batch")
	}
	return lines, specs, nil
}

// decodeLine decodes line n of a batch strictly.
func decodeLine(raw []byte, n int) (*IssueRequest, *apiError) {
	if raw[0] != '{' {
		return nil, errorf(http.StatusBadRequest, CodeInvalidJSON, "line %d: want a JSON object", n)
	}
	var req IssueRequest
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(&req)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = errors.New("data after the JSON object")
		}
	}
	if err != nil {
		e := jsonError(err, MaxBodySize)
		e.Message = fmt.Sprintf("line %d: %s", n, e.Message)
		return nil, e
	}
	return &req, nil
}

// checkPDFBatch: one document for all, so every request must be good, and
// fit on a card, before any code is signed.
func checkPDFBatch(lines []BatchLine, specs []*issueSpec) *apiError {
	for i, l := range lines {
		if e := l.Error; e != nil {
			e.Message = fmt.Sprintf("line %d: %s", l.Line, e.Message)
			return e
		}
		if err := render.CheckHolder(specs[i].holder); err != nil {
			return errorf(http.StatusBadRequest, CodeInvalidField, "line %d: holder: %s", l.Line, strings.TrimPrefix(err.Error(), "render: "))
		}
	}
	return nil
}

// signBatch signs the good specs on every core (first-time people cost an
// Argon2id each), fills in their lines and returns them in order.
func (s *Service) signBatch(r *http.Request, specs []*issueSpec, lines []BatchLine, now time.Time) ([]*issued, *apiError) {
	signed := make([]*issued, len(specs))
	errs := make([]error, len(specs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, spec := range specs {
		if spec == nil {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			signed[i], errs[i] = s.sign(r.Context(), spec, now)
		}()
	}
	wg.Wait()
	var done []*issued
	for i, is := range signed {
		if errs[i] != nil {
			return nil, s.signError(r, errs[i])
		}
		if is == nil {
			continue
		}
		lines[i].CodeResponse = is.response()
		done = append(done, is)
	}
	return done, nil
}

func renderBatch(w io.Writer, done []*issued) error {
	b, err := render.NewBatch(w)
	if err != nil {
		return err
	}
	for _, is := range done {
		c, err := render.NewCard(is.text, &render.Options{Holder: is.spec.holder})
		if err == nil {
			err = b.Add(c)
		}
		if err != nil {
			return err
		}
	}
	return b.Close()
}

func (s *Service) writeBatchLines(w http.ResponseWriter, lines []BatchLine) {
	w.Header().Set("Content-Type", formatNDJSON)
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	for i := range lines {
		if lines[i].Error != nil {
			s.metrics.errors.WithLabelValues(lines[i].Error.Code).Inc()
		}
		if err := enc.Encode(&lines[i]); err != nil {
			return // the client went away; the records stand
		}
	}
}

// signError maps a failure to sign: over the budget of first-time
// identities is a 429, anything else internal.
func (s *Service) signError(r *http.Request, err error) *apiError {
	if errors.Is(err, errNewIDLimit) {
		e := errorf(http.StatusTooManyRequests, CodeRateLimited, "token %q is over its budget of first-time identities (%v a second)",
			callerOf(r).token.Name, s.newRate)
		e.RetryAfter = 1
		return e
	}
	return s.internal(r, "signing", err)
}

// internal logs err and returns a 500 that does not reveal it.
func (s *Service) internal(r *http.Request, what string, err error) *apiError {
	if r.Context().Err() != nil {
		return errorf(http.StatusServiceUnavailable, CodeTimeout, "request cancelled")
	}
	s.log.Error(what, "err", err, "request_id", callerOf(r).requestID)
	return errorf(http.StatusInternalServerError, CodeInternal, "internal error (request %s)", callerOf(r).requestID)
}

// storeError maps a store failure: closed means shutting down (503).
func (s *Service) storeError(r *http.Request, what string, err error) *apiError {
	if errors.Is(err, store.ErrClosed) {
		return errorf(http.StatusServiceUnavailable, CodeUnavailable, "shutting down")
	}
	return s.internal(r, what, err)
}
