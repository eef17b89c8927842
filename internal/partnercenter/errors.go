package partnercenter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// Error is a non-success Partner Center (or ARM) response.
// Its text holds only the status, codes, server description and ids: never tokens or bodies sent.
type Error struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is the API error code normalised to a string ("600074", "2055"); empty if none.
	Code string
	// ErrorName is the symbolic name of newer error bodies, e.g. "AccountStatusNotFound".
	ErrorName string
	// Description is the server's description (or message when no description is given).
	Description string
	// Retryable is the server's isRetryable flag.
	Retryable bool
	// RequestID is the MS-RequestId of the call.
	RequestID string
	// CorrelationID is the MS-CorrelationId of the call.
	CorrelationID string
	// Operation is the operation name (Op* constant).
	Operation string
}

// Error renders the error without any secret.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "partnercenter %s: HTTP %d", e.Operation, e.StatusCode)
	if e.Code != "" {
		fmt.Fprintf(&b, " code %s", e.Code)
	}
	if e.ErrorName != "" {
		fmt.Fprintf(&b, " (%s)", e.ErrorName)
	}
	if e.Description != "" {
		fmt.Fprintf(&b, ": %s", e.Description)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [MS-RequestId %s]", e.RequestID)
	}
	return b.String()
}

// ThrottledError is a 429 whose Retry-After is longer than the client waits inline
// (or that persisted through the inline retries). Requeue after RetryAfter.
type ThrottledError struct {
	// Operation is the operation name.
	Operation string
	// RetryAfter is the server's Retry-After delay.
	RetryAfter time.Duration
	// RequestID is the MS-RequestId to reuse when retrying the same intent.
	RequestID string
	// Message is the server's 429 message.
	Message string
}

// Error renders the throttling error.
func (e *ThrottledError) Error() string {
	return fmt.Sprintf("partnercenter %s: throttled (HTTP 429), retry after %s [MS-RequestId %s]", e.Operation, e.RetryAfter, e.RequestID)
}

// CredentialRequiredError says an operation needs a credential the client was not given.
type CredentialRequiredError struct {
	// Operation is the operation name.
	Operation string
	// Kind is "App+User" or "ARM".
	Kind string
}

// Error renders the missing-credential error.
func (e *CredentialRequiredError) Error() string {
	return fmt.Sprintf("partnercenter %s: requires an %s credential, none configured", e.Operation, e.Kind)
}

// wireError is the union of every error body shape, used only for decoding.
type wireError struct {
	Code        json.RawMessage `json:"code"`
	Message     string          `json:"message"`
	Description string          `json:"description"`
	ErrorName   string          `json:"errorName"`
	IsRetryable bool            `json:"isRetryable"`
	StatusCode  int             `json:"statusCode"`
	// ARM wraps its error: {"error": {"code", "message"}}.
	ARM *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// DecodeError turns an error response body into an *Error. It accepts both Partner Center
// shapes, the 429 body and the ARM shape, with code as a number or a string; an undecodable
// body still yields an *Error with the status. It never fails and never panics.
func DecodeError(status int, body []byte) *Error {
	e := &Error{StatusCode: status}
	var w wireError
	if json.Unmarshal(body, &w) != nil {
		return e
	}
	e.Code = normaliseCode(w.Code)
	e.ErrorName = w.ErrorName
	e.Retryable = w.IsRetryable
	e.Description = firstNonEmpty(w.Description, w.Message)
	if w.ARM != nil {
		e.Code = firstNonEmpty(e.Code, w.ARM.Code)
		e.Description = firstNonEmpty(e.Description, w.ARM.Message)
	}
	return e
}

// normaliseCode renders a JSON number or string code as a string.
func normaliseCode(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		if i, err := n.Int64(); err == nil {
			return strconv.FormatInt(i, 10)
		}
		if f, err := n.Float64(); err == nil {
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
		return n.String()
	}
	return ""
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// asError extracts an *Error from err's chain.
func asError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// hasCode reports whether err is an *Error with one of codes.
func hasCode(err error, codes ...string) bool {
	e, ok := asError(err)
	if !ok {
		return false
	}
	for _, c := range codes {
		if e.Code == c {
			return true
		}
	}
	return false
}

// hasStatus reports whether err is an *Error with the given HTTP status.
func hasStatus(err error, status int) bool {
	e, ok := asError(err)
	return ok && e.StatusCode == status
}

// ErrorCode returns the API error code of err ("" if err is not an *Error or has no code).
func ErrorCode(err error) string {
	if e, ok := asError(err); ok {
		return e.Code
	}
	return ""
}

// IsNotFound reports a 404.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsThrottled reports a *ThrottledError and returns the delay to wait.
func IsThrottled(err error) (time.Duration, bool) {
	var t *ThrottledError
	if errors.As(err, &t) {
		return t.RetryAfter, true
	}
	return 0, false
}

// IsCustomerNotApproved reports 800073/800074/800075: the customer is under review or was not approved.
func IsCustomerNotApproved(err error) bool {
	return hasCode(err, wire.CodeCustomerUnderReview, wire.CodeCustomerUnderReviewAlt, wire.CodeCustomerNotApproved)
}

// IsAgreementMissing reports 13605: no MCA confirmation before a purchase.
func IsAgreementMissing(err error) bool { return hasCode(err, wire.CodeAgreementMissing) }

// IsDuplicateAgreement reports 600061: the same attestation already exists.
func IsDuplicateAgreement(err error) bool { return hasCode(err, wire.CodeDuplicateAgreement) }

// IsOrderInProgress reports 800060: a prior order is still in progress; look it up, don't resubmit.
func IsOrderInProgress(err error) bool { return hasCode(err, wire.CodeOrderInProgress) }

// IsConflict reports a 409.
func IsConflict(err error) bool { return hasStatus(err, http.StatusConflict) }

// IsPreconditionFailed reports a 412.
func IsPreconditionFailed(err error) bool { return hasStatus(err, http.StatusPreconditionFailed) }

// IsETagStale reports a stale etag: 2055 on subscriptions or 412 on billing profiles. Re-GET and retry.
func IsETagStale(err error) bool {
	return hasCode(err, wire.CodeSubscriptionETagStale) || IsPreconditionFailed(err)
}

// IsCredentialRequired reports that the call needs a credential the client lacks (App+User or ARM).
func IsCredentialRequired(err error) bool {
	var c *CredentialRequiredError
	return errors.As(err, &c)
}
