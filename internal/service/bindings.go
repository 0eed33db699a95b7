package service

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/offcode/offcode/codec"
	"github.com/offcode/offcode/identity"
	"github.com/offcode/offcode/internal/kinship"
	"github.com/offcode/offcode/internal/store"
)

// BindRequest is the body of POST /v1/bindings.
type BindRequest struct {
	GuardianID string `json:"guardian_id"`
	RelativeID string `json:"relative_id"`
	Relation   string `json:"relation"` // free text, such as "mother" or "grandson"
}

// BindingResponse describes a binding. It carries no ID number: the
// relative is shown masked to the last 4 characters, so that eight "child"
// rows can be told apart.
type BindingResponse struct {
	BindingID     string `json:"binding_id"`
	Relation      string `json:"relation"`
	Relative      string `json:"relative"` // such as **************002X
	CreatedAt     string `json:"created_at"`
	UnbindAfter   string `json:"unbind_after"`
	EligibleUntil string `json:"eligible_until,omitempty"` // kinship codes end then (a child's 17th birthday)
}

// LookupRequest is the body of POST /v1/guardians/bindings: the guardian's ID
// number travels in the body, never in a URL that proxies log.
type LookupRequest struct {
	GuardianID string `json:"guardian_id"`
}

var limits = store.Limits{
	MaxRelatives: kinship.MaxRelatives,
	MaxGuardians: kinship.MaxGuardians,
	MinAge:       kinship.MinAge,
}

const maxRelation = 32

func bindingResponse(b store.Binding) *BindingResponse {
	r := &BindingResponse{
		BindingID:   b.ID,
		Relation:    b.Relation,
		Relative:    strings.Repeat("*", 14) + b.RelativeLast4,
		CreatedAt:   b.CreatedAt.UTC().Format(time.RFC3339),
		UnbindAfter: b.CreatedAt.Add(limits.MinAge).UTC().Format(time.RFC3339),
	}
	if !b.EligibleUntil.IsZero() {
		r.EligibleUntil = b.EligibleUntil.UTC().Format(time.RFC3339)
	}
	return r
}

// last4 returns the last 4 characters of an ID number.
func last4(id identity.ID) string {
	t := idText(id)
	return t[len(t)-4:]
}

func (s *Service) handleBind(w http.ResponseWriter, r *http.Request) *apiError {
	var req BindRequest
	if e := decodeJSON(w, r, MaxBodySize, &req); e != nil {
		return e
	}
	now := s.now()
	guardian, relative, rel, e := s.parseBind(&req, now)
	if e != nil {
		return e
	}
	p, err := s.lookupPerson(r.Context(), relative)
	if err != nil {
		return s.signError(r, err)
	}
	b := store.Binding{
		ID:            s.newBindingID(),
		Guardian:      s.personKey(guardian),
		Relative:      p.key,
		Relation:      rel,
		RelativeLast4: last4(relative),
		CreatedAt:     now,
		EligibleUntil: kinship.EligibleUntil(relative, now),
	}
	got, created, err := s.store.Bind(r.Context(), b, p.identity, limits)
	switch {
	case errors.Is(err, store.ErrGuardianLimit):
		return errorf(http.StatusConflict, CodeGuardianLimit, "a guardian can bind at most %d relatives", kinship.MaxRelatives)
	case errors.Is(err, store.ErrRelativeLimit):
		return errorf(http.StatusConflict, CodeRelativeLimit, "a relative can have at most %d guardians", kinship.MaxGuardians)
	case err != nil:
		return s.storeError(r, "binding", err)
	case !created && got.Relation != rel:
		return errorf(http.StatusConflict, CodeBindingExists,
			"this guardian already bound this relative as %q (binding %s); unbind it first to change the relation", got.Relation, got.ID)
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, bindingResponse(got))
	return nil
}

// parseBind checks a binding request: two valid ID numbers, an adult
// guardian, a relation, a relative of an eligible age. Messages give ages,
// never birth dates.
func (s *Service) parseBind(req *BindRequest, now time.Time) (guardian, relative identity.ID, rel string, e *apiError) {
	guardian, err := identity.ParseID(req.GuardianID, now)
	if err != nil {
		return guardian, relative, "", idError("guardian_id", err)
	}
	relative, err = identity.ParseID(req.RelativeID, now)
	if err != nil {
		return guardian, relative, "", idError("relative_id", err)
	}
	rel = strings.TrimSpace(req.Relation)
	if rel == "" || !utf8.ValidString(rel) || utf8.RuneCountInString(rel) > maxRelation {
		return guardian, relative, "", errorf(http.StatusBadRequest, CodeInvalidField, "relation must be 1 to %d characters", maxRelation)
	}
	if err := kinship.CheckGuardian(guardian, now, s.guardianAge); err != nil {
		return guardian, relative, "", errorf(http.StatusUnprocessableEntity, CodeGuardianNotAdult,
			"a guardian must be %d or over; the guardian is %d", s.guardianAge, kinship.AgeOn(guardian, now))
	}
	if err := kinship.CheckPair(guardian, relative, now); err != nil {
		if errors.Is(err, kinship.ErrAge) {
			return guardian, relative, "", errorf(http.StatusUnprocessableEntity, CodeAgeNotEligible,
				"kinship codes are only for relatives aged 0 to 16 or 60 and over; the relative is %d on %s (Beijing time)",
				kinship.AgeOn(relative, now), now.In(identity.Beijing()).Format("2006-01-02"))
		}
		return guardian, relative, "", errorf(http.StatusUnprocessableEntity, CodeInvalidBinding, "the guardian and the relative are the same person")
	}
	return guardian, relative, rel, nil
}

// newBindingID returns a random binding ID: 16 bytes, base64url.
func (s *Service) newBindingID() string {
	var b [16]byte
	io.ReadFull(s.rand, b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// handleGuardianBindings serves POST /v1/guardians/bindings: a guardian's
// bindings, each relative masked to the last 4 characters.
func (s *Service) handleGuardianBindings(w http.ResponseWriter, r *http.Request) *apiError {
	var req LookupRequest
	if e := decodeJSON(w, r, MaxBodySize, &req); e != nil {
		return e
	}
	g, err := identity.ParseID(req.GuardianID, s.now())
	if err != nil {
		return idError("guardian_id", err)
	}
	bs, err := s.store.GuardianBindings(r.Context(), s.personKey(g))
	if err != nil {
		return s.storeError(r, "listing bindings", err)
	}
	out := struct {
		Bindings []*BindingResponse `json:"bindings"`
	}{Bindings: make([]*BindingResponse, 0, len(bs))}
	for _, b := range bs {
		out.Bindings = append(out.Bindings, bindingResponse(b))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Service) handleUnbind(w http.ResponseWriter, r *http.Request) *apiError {
	id := r.PathValue("binding_id")
	var tooEarly *store.TooEarlyError
	switch err := s.store.Unbind(r.Context(), id, s.now(), limits); {
	case errors.Is(err, store.ErrNotFound):
		return errorf(http.StatusNotFound, CodeNotFound, "no binding %q", clip(id))
	case errors.As(err, &tooEarly):
		return errorf(http.StatusConflict, CodeUnbindTooEarly, "a binding can be removed %s after it was made: from %s",
			humanDuration(limits.MinAge), tooEarly.At.UTC().Format(time.RFC3339))
	case err != nil:
		return s.storeError(r, "unbinding", err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// BindingCodeRequest is the body of POST /v1/bindings/{binding_id}/codes.
type BindingCodeRequest struct {
	Colour string `json:"colour"`
	Color  string `json:"color,omitempty"` // the same as colour
	Holder string `json:"holder,omitempty"`
}

// handleBindingCode issues the relative's kinship code through an existing
// binding. The service holds no ID number, only the relative's identity
// hash, which is all a code needs.
func (s *Service) handleBindingCode(w http.ResponseWriter, r *http.Request) *apiError {
	format, e := negotiate(r, formatJSON, formatPNG, formatPDF)
	if e != nil {
		return e
	}
	var req BindingCodeRequest
	if e := decodeJSON(w, r, MaxBodySize, &req); e != nil {
		return e
	}
	colour, e := parseColour(pickColour(req.Colour, req.Color))
	if e != nil {
		return e
	}
	if e := checkHolder(req.Holder); e != nil {
		return e
	}
	id := r.PathValue("binding_id")
	b, err := s.store.Binding(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, CodeNotFound, "no binding %q", clip(id))
	}
	if err != nil {
		return s.storeError(r, "reading binding", err)
	}
	now := s.now()
	if !b.EligibleUntil.IsZero() && !now.Before(b.EligibleUntil) {
		return errorf(http.StatusUnprocessableEntity, CodeNotEligible,
			"the relative is no longer eligible for kinship codes: they turned %d on %s (Beijing time)",
			kinship.MaxChildAge+1, b.EligibleUntil.In(identity.Beijing()).Format("2006-01-02"))
	}
	p := person{key: b.Relative}
	if h, ok := s.cache.get(b.Relative); ok {
		p.identity = h
	} else if p.identity, err = s.store.Person(r.Context(), b.Relative); err != nil {
		return s.storeError(r, "reading relative", err)
	}
	spec := &issueSpec{colour: colour, kind: codec.Kin, holder: req.Holder, bindingID: b.ID, known: &p, until: b.EligibleUntil}
	return s.issueOne(w, r, spec, format, now)
}

// humanDuration says d in hours or minutes, as a person would ("24 hours").
func humanDuration(d time.Duration) string {
	switch {
	case d%time.Hour == 0 && d == time.Hour:
		return "1 hour"
	case d%time.Hour == 0:
		return fmt.Sprintf("%d hours", d/time.Hour)
	default:
		return fmt.Sprintf("%d minutes", d/time.Minute)
	}
}

// clip shortens a client-supplied value for an error message.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}
