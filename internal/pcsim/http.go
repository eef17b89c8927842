package pcsim

import (
	"crypto/sha256"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// call is one authenticated API request as a handler sees it.
type call struct {
	r      *http.Request
	body   []byte
	claims claims
	now    time.Time
}

// reply is a handler's answer; stored as-is for MS-RequestId replay.
type reply struct {
	status int
	body   []byte
	header http.Header
	// hold is the throttling hold this 429 starts; serve marks when the 429 was answered.
	hold *throttleHold
}

// throttleHold is one caller's Retry-After hold.
type throttleHold struct {
	// deadline ends the hold (wall clock: clients wait in real time).
	deadline time.Time
	// answeredAt is when the 429 that started it was sent back (zero until then).
	answeredAt time.Time
	// throttled are the MS-RequestIds answered 429 in this hold: the same ID
	// again is a retry of that call, sent after its client read the 429.
	throttled map[string]bool
}

// readGrace is how long after a 429 left the simulator another call still
// counts as already on its way: its client may have let it go (past its
// throttle gate, waiting for a connection) before reading the 429, even
// if it then goes out on the 429's own connection once that is free.
const readGrace = 10 * time.Millisecond

// route binds an operation name to its method+path pattern and handler.
type route struct {
	op      string
	pattern string
	handle  func(*Simulator, *call) reply
}

// Operations the client has no method for, so no Op constant in internal/partnercenter:
// GET .../supportcontact and PATCH /v1/customers/{id} (remove the reseller relationship, 5.6).
const (
	opGetSupportContact          = "GetSupportContact"
	opRemoveCustomerRelationship = "RemoveCustomerRelationship"
)

// routes are every operation the simulator serves, with the paths of internal/partnercenter.
var routes = []route{
	{pc.OpCheckDomain, "HEAD /v1/domains/{domain}", (*Simulator).checkDomain},
	{pc.OpValidateAddress, "POST /v1/validations/address", (*Simulator).validateAddress},
	{pc.OpCreateCustomer, "POST /v1/customers", (*Simulator).createCustomer},
	{pc.OpListCustomers, "GET /v1/customers", (*Simulator).listCustomers},
	{pc.OpGetCustomer, "GET /v1/customers/{id}", (*Simulator).getCustomer},
	{pc.OpDeleteCustomer, "DELETE /v1/customers/{id}", (*Simulator).deleteCustomer},
	{opRemoveCustomerRelationship, "PATCH /v1/customers/{id}", (*Simulator).removeCustomerRelationship},
	{pc.OpGetBillingProfile, "GET /v1/customers/{id}/profiles/billing", (*Simulator).getBillingProfile},
	{pc.OpUpdateBillingProfile, "PUT /v1/customers/{id}/profiles/billing", (*Simulator).updateBillingProfile},
	{pc.OpGetAccountValidationStatus, "GET /v1/customers/{id}/validationStatus", (*Simulator).getValidationStatus},
	{pc.OpListQualifications, "GET /v1/customers/{id}/qualifications", (*Simulator).listQualifications},
	{pc.OpCreateQualification, "POST /v1/customers/{id}/qualifications", (*Simulator).createQualification},
	{pc.OpGetAgreementMetadata, "GET /v1/agreements", (*Simulator).getAgreementMetadata},
	{pc.OpCreateAgreement, "POST /v1/customers/{id}/agreements", (*Simulator).createAgreement},
	{pc.OpListAgreements, "GET /v1/customers/{id}/agreements", (*Simulator).listAgreements},
	{pc.OpGetDirectSignedStatus, "GET /v1/customers/{id}/directSignedMicrosoftCustomerAgreementStatus", (*Simulator).getDirectSignedStatus},
	{pc.OpGetRelationshipRequest, "GET /v1/customers/relationshiprequests", (*Simulator).getRelationshipRequest},
	{pc.OpListIndirectResellers, "GET /v1/relationships", (*Simulator).listIndirectResellers},
	{pc.OpGetResellerAgreementStatus, "GET /v1/compliance/csp/agreementstatus", (*Simulator).getResellerAgreementStatus},
	{pc.OpCreateOrder, "POST /v1/customers/{id}/orders", (*Simulator).createOrder},
	{pc.OpGetOrder, "GET /v1/customers/{id}/orders/{orderId}", (*Simulator).getOrder},
	{pc.OpCreateCart, "POST /v1/customers/{id}/carts", (*Simulator).createCart},
	{pc.OpGetCart, "GET /v1/customers/{id}/carts/{cartId}", (*Simulator).getCart},
	{pc.OpCheckoutCart, "POST /v1/customers/{id}/carts/{cartId}/checkout", (*Simulator).checkoutCart},
	{pc.OpListSubscriptions, "GET /v1/customers/{id}/subscriptions", (*Simulator).listSubscriptions},
	{pc.OpGetSubscription, "GET /v1/customers/{id}/subscriptions/{subId}", (*Simulator).getSubscription},
	{pc.OpUpdateSubscription, "PATCH /v1/customers/{id}/subscriptions/{subId}", (*Simulator).updateSubscription},
	{pc.OpUpdateSupportContact, "PUT /v1/customers/{id}/subscriptions/{subId}/supportcontact", (*Simulator).putSupportContact},
	{opGetSupportContact, "GET /v1/customers/{id}/subscriptions/{subId}/supportcontact", (*Simulator).getSupportContact},
	{pc.OpCreateEnhancedAttestation, "POST /v1/attestations/enhanced", (*Simulator).createEnhancedAttestation},
	{pc.OpGetEnhancedAttestation, "GET /v1/attestations/enhanced/{attestationId}", (*Simulator).getEnhancedAttestation},
	{pc.OpListAuditRecords, "GET /v1/auditrecords", (*Simulator).listAuditRecords},
	{pc.OpSetCostManagementPolicy, "PUT /providers/Microsoft.Billing/billingAccounts/{account}/customers/{id}/policies/default", (*Simulator).setCostManagementPolicy},
}

// Handler serves the API (and /sim/... when EnableControlAPI is set).
func (s *Simulator) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routes {
		mux.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, rt) })
	}
	if s.cfg.EnableControlAPI {
		s.registerControl(mux)
	}
	return mux
}

// serve runs one API call: count, authenticate, throttle, replay or handle, then maybe drop.
func (s *Simulator) serve(w http.ResponseWriter, r *http.Request, rt route) {
	body, _ := io.ReadAll(r.Body) // a short read just fails body validation later
	requestID := r.Header.Get(pc.HeaderRequestID)
	if requestID == "" {
		requestID = uuid.NewString() // Choice: like the API, generate one when absent.
	}
	correlationID := r.Header.Get(pc.HeaderCorrelationID)
	rep, drop := s.dispatch(rt, r, body, requestID)
	s.latency.wait(r.Context())
	if drop {
		// Fault: the write happened; abort the connection without a response.
		panic(http.ErrAbortHandler)
	}
	h := w.Header()
	for k, v := range rep.header {
		h[k] = v
	}
	// Set directly (not Header.Set) to keep the documented MS-* spelling on the pc.
	h[pc.HeaderRequestID] = []string{requestID}
	if correlationID != "" {
		h[pc.HeaderCorrelationID] = []string{correlationID}
	}
	if len(rep.body) > 0 {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(rep.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(rep.body)
	}
	if rep.hold != nil {
		s.answeredThrottle(w, rep.hold)
	}
}

// answeredThrottle sends the 429 that starts a hold now and records when:
// only a call arriving after that can have been sent knowing the Retry-After.
func (s *Simulator) answeredThrottle(w http.ResponseWriter, hold *throttleHold) {
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	hold.answeredAt = time.Now()
}

// replayKey identifies a write for MS-RequestId replay.
type replayKey struct{ op, requestID string }

// storedReply is the original answer to a write plus a digest of the request body.
type storedReply struct {
	reply
	bodyDigest [sha256.Size]byte
}

// dispatch decides the reply under the lock. drop reports the dropped-connection fault.
func (s *Simulator) dispatch(rt route, r *http.Request, body []byte, requestID string) (rep reply, drop bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[rt.op]++
	cl, rep, ok := s.authenticate(rt.op, r, body)
	if !ok {
		return rep, false
	}
	if rep, throttled := s.throttled(r.Header.Get("Authorization"), requestID, time.Now()); throttled {
		return rep, false
	}
	if rep, limited := s.rateLimited(rt, cl); limited {
		return rep, false
	}
	if s.chance(s.cfg.ErrorRate) {
		return legacyError(http.StatusServiceUnavailable, "503", "Fault injected by the simulator: service unavailable."), false
	}
	cl.now = s.clock.Now()
	s.settle(cl.now)
	if !isWrite(r.Method) {
		return rt.handle(s, cl), false
	}
	// Choice (MS-RequestId replay): the same (operation, MS-RequestId) returns the stored original
	// status and body with no second side effect; a different body with the same id is 409.
	key, digest := replayKey{rt.op, requestID}, sha256.Sum256(body)
	if stored, found := s.replays[key]; found {
		if stored.bodyDigest != digest {
			return legacyError(http.StatusConflict, "409", "MS-RequestId "+requestID+" was already used with a different request body."), false
		}
		return stored.reply, false
	}
	rep = s.handleAudited(rt, cl)
	s.replays[key] = storedReply{reply: rep, bodyDigest: digest}
	return rep, s.chance(s.cfg.DropAfterWriteRate)
}

// isWrite reports whether method can change state (and so takes part in replay and drop faults).
func isWrite(method string) bool { return method != http.MethodGet && method != http.MethodHead }

// chance draws a seeded Bernoulli(p). Callers hold s.mu.
func (s *Simulator) chance(p float64) bool { return p > 0 && s.rng.Float64() < p }

// authenticate checks the bearer token: 401 when missing or invalid (or the wrong audience),
// 403 when an App+User-only operation gets an app-only token. Callers hold s.mu.
func (s *Simulator) authenticate(op string, r *http.Request, body []byte) (*call, reply, bool) {
	c, ok := s.parseBearer(r.Header.Get("Authorization"))
	if !ok || c.Aud != audienceFor(op) {
		rep := legacyError(http.StatusUnauthorized, "401", "Authentication failed: missing or invalid bearer token.")
		rep.header = http.Header{"Www-Authenticate": {"OAuth realm=urn:cpsvc:cpid:" + s.cfg.PartnerTenantID}}
		return nil, rep, false
	}
	if !c.appUser() && needsAppUser(op, r, body) {
		// Choice: the docs only say "not supported"; the simulator answers 403.
		return nil, legacyError(http.StatusForbidden, "403", "This operation requires an App+User token; app-only authentication is not supported."), false
	}
	if c.appUser() && appOnlyOperation(op) {
		// Choice: 403, as for the opposite mismatch.
		return nil, legacyError(http.StatusForbidden, "403", "This scenario only supports AppOnly authentication."), false
	}
	if rep, refused := s.mfaRefusal(c); refused {
		return nil, rep, false
	}
	return &call{r: r, body: body, claims: c}, reply{}, true
}

// needsAppUser reports whether this request needs a delegated token: the App+User-only
// operations, create customer for an indirect reseller, and the IndirectReseller customer filter.
func needsAppUser(op string, r *http.Request, body []byte) bool {
	switch op {
	case pc.OpCreateCustomer:
		var req pc.CustomerCreateRequest
		return json.Unmarshal(body, &req) == nil && req.AssociatedPartnerID != ""
	case pc.OpListCustomers:
		f, ok := parseFilter(r)
		return ok && strings.EqualFold(f.Field, pc.FilterFieldIndirectReseller)
	case opGetSupportContact:
		return true
	case pc.OpCreateAgreement:
		// The 2026 flow's agreement (with an attestationId) is App-only like its attestation.
		var a pc.Agreement
		if json.Unmarshal(body, &a) == nil && a.AttestationID != "" {
			return false
		}
	}
	return pc.RequiresAppUser(op)
}

// throttled answers 429 for a caller (identified by its bearer token) that calls before its
// Retry-After deadline or that loses the ThrottleRate draw. A call during a hold is a
// violation when the caller can have read the 429 that started the hold before sending it
// (sentAfterRead); one sent before was already on its way (a client with calls side by side
// cannot avoid those) and is counted apart. requestID is the call's MS-RequestId, which a
// client keeps across retries. Deadlines use wall-clock time because clients wait in real
// time. Callers hold s.mu.
func (s *Simulator) throttled(caller, requestID string, now time.Time) (reply, bool) {
	if hold, ok := s.throttle[caller]; ok && now.Before(hold.deadline) {
		if hold.sentAfterRead(requestID, now) {
			s.violationDelays = append(s.violationDelays, hold.sinceAnswered(now))
		} else {
			s.inFlightAtThrottle++
		}
		hold.throttled[requestID] = true
		return throttleReply(hold.deadline.Sub(now)), true
	}
	if !s.chance(s.cfg.ThrottleRate) {
		return reply{}, false
	}
	hold := &throttleHold{deadline: now.Add(s.cfg.RetryAfter), throttled: map[string]bool{requestID: true}}
	s.throttle[caller] = hold
	rep := throttleReply(s.cfg.RetryAfter)
	rep.hold = hold
	return rep, true
}

// sentAfterRead tells whether a call (its MS-RequestId) arriving at now can
// have been sent after its client read the hold's 429: a retry of a call
// answered 429 in the hold at any time, another call from readGrace after
// the 429 that began the hold left.
func (h *throttleHold) sentAfterRead(requestID string, now time.Time) bool {
	switch {
	case h.throttled[requestID]:
		return true
	case h.answeredAt.IsZero() || now.Before(h.answeredAt):
		return false
	}
	return now.Sub(h.answeredAt) >= readGrace
}

// sinceAnswered is how long after the hold's 429 left a call arrived at now
// (0 for a retry that overtook the simulator's record of sending it).
func (h *throttleHold) sinceAnswered(now time.Time) time.Duration {
	if h.answeredAt.IsZero() {
		return 0
	}
	return now.Sub(h.answeredAt)
}

// throttleReply is the documented 429: Retry-After in whole seconds (rounded up) and the
// {"statusCode":429,"message":...} body.
func throttleReply(wait time.Duration) reply {
	secs := int(math.Ceil(wait.Seconds()))
	rep := jsonReply(http.StatusTooManyRequests, pc.ThrottleBody{StatusCode: http.StatusTooManyRequests, Message: pc.ThrottleMessage(secs)})
	rep.header = http.Header{pc.HeaderRetryAfter: {strconv.Itoa(secs)}}
	return rep
}

// jsonReply marshals v as the body.
func jsonReply(status int, v any) reply {
	b, err := json.Marshal(v)
	if err != nil {
		return legacyError(http.StatusInternalServerError, "500", "simulator: "+err.Error())
	}
	return reply{status: status, body: b}
}

// emptyReply has no body (HEAD answers, 204).
func emptyReply(status int) reply { return reply{status: status} }

// legacyError is the error-codes page shape {"code": "<string>", "description": ...}.
// Choice: codes that only appear on the error-codes page use this shape; generic failures
// without a documented code (401, 403, 404, 409 replay) carry the HTTP status as the code.
func legacyError(status int, code, description string) reply {
	return jsonReply(status, pc.LegacyErrorBody{Code: code, Description: description})
}

// newError is the newer shape {"code": <number>, "message", "errorName", "isRetryable", ...},
// used for the codes documented with it (600074, 600061).
func newError(status, code int, errorName, message string) reply {
	return jsonReply(status, pc.ErrorBody{
		Code: code, Message: message, Description: message, ErrorName: errorName,
		Parameters: map[string]any{}, ErrorMessageExtended: "InternalErrorCode=" + strconv.Itoa(code),
	})
}

// armError is the ARM error shape {"error": {"code", "message"}}.
func armError(status int, code, message string) reply {
	return jsonReply(status, map[string]any{"error": map[string]string{"code": code, "message": message}})
}

// invalidInput is 400 code 2000.
func invalidInput(description string) reply {
	return legacyError(http.StatusBadRequest, pc.CodeInvalidInput, description)
}

// notFound is a 404 for an unknown resource.
func notFound(what, id string) reply {
	return legacyError(http.StatusNotFound, "404", what+" "+id+" was not found.")
}

// decode binds the JSON body into v (case-insensitively, like the API); ok is false with a 400.
func decode(c *call, v any) (reply, bool) {
	if err := json.Unmarshal(c.body, v); err != nil {
		return invalidInput("The request body is not valid JSON."), false
	}
	return reply{}, true
}

// requestEtag is the etag of a write: If-Match if present (quotes and W/ stripped), else the body's.
func requestEtag(r *http.Request, bodyEtag string) string {
	if m := r.Header.Get(pc.HeaderIfMatch); m != "" {
		return strings.Trim(strings.TrimPrefix(m, "W/"), `"`)
	}
	return bodyEtag
}

// parseFilter reads the customer-list filter query parameter.
func parseFilter(r *http.Request) (pc.Filter, bool) {
	raw := r.URL.Query().Get("filter")
	var f pc.Filter
	return f, raw != "" && json.Unmarshal([]byte(raw), &f) == nil
}
