package service

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Error codes of the API: the "code" member of an error response. They are
// stable; clients branch on them.
const (
	CodeInvalidJSON     = "invalid_json"
	CodeTooLarge        = "too_large"
	CodeInvalidID       = "invalid_id"
	CodeInvalidColour   = "invalid_colour"
	CodeInvalidKind     = "invalid_kind"
	CodeInvalidField    = "invalid_field"
	CodeInvalidBinding  = "invalid_binding"
	CodeAgeNotEligible  = "age_not_eligible"
	CodeGuardianLimit   = "guardian_limit"
	CodeRelativeLimit   = "relative_limit"
	CodeUnbindTooEarly  = "unbind_too_early"
	CodeNotFound        = "not_found"
	CodeMethod          = "method_not_allowed"
	CodeNotAcceptable   = "not_acceptable"
	CodeUnauthorized    = "unauthorized"
	CodeForbidden       = "forbidden"
	CodeRateLimited     = "rate_limited"
	CodeUnavailable     = "unavailable"
	CodeInternal        = "internal"
	CodeTimeout         = "timeout"
	CodeBatchTooLarge   = "batch_too_large"
	CodeInvalidArgument = "invalid_argument"
	// CodeGuardianNotAdult: the guardian is younger than the service's
	// guardian age (18 unless configured).
	CodeGuardianNotAdult = "guardian_not_adult"
	// CodeBindingExists: the pair is bound already, with another relation.
	CodeBindingExists = "binding_exists"
	// CodeNotEligible: a kinship code asked for after the relative's
	// eligibility ended (the child turned 17).
	CodeNotEligible = "not_eligible"
	// CodeInvalidSerial: a revocation's serial is not 24 hex digits.
	CodeInvalidSerial = "invalid_serial"
)

// allCodes lists every error code, for the OpenAPI document's check.
var allCodes = []string{
	CodeInvalidJSON, CodeTooLarge, CodeInvalidID, CodeInvalidColour, CodeInvalidKind, CodeInvalidField,
	CodeInvalidBinding, CodeAgeNotEligible, CodeGuardianLimit, CodeRelativeLimit, CodeUnbindTooEarly,
	CodeNotFound, CodeMethod, CodeNotAcceptable, CodeUnauthorized, CodeForbidden, CodeRateLimited,
	CodeUnavailable, CodeInternal, CodeTimeout, CodeBatchTooLarge, CodeInvalidArgument,
	CodeGuardianNotAdult, CodeBindingExists, CodeNotEligible, CodeInvalidSerial,
}

// apiError is an error response: an HTTP status and a JSON body
// {"error": {"code": ..., "message": ...}}.
type apiError struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
	// RetryAfter, in seconds, sets the Retry-After header when positive.
	RetryAfter int `json:"-"`
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

type errorBody struct {
	Error *apiError `json:"error"`
}

// writeError writes e as the response.
func writeError(w http.ResponseWriter, e *apiError) {
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(e.RetryAfter))
	}
	writeJSON(w, e.Status, errorBody{e})
}

// writeJSON writes v as a JSON response with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only our own response types are marshalled: a programming error.
		panic("service: marshalling response: " + err.Error())
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
