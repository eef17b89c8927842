package pcsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// auditLog is the partner's activity log, oldest first, holding pc.AuditRetention of
// simulated time. Its state sits behind Simulator.mu.
type auditLog struct {
	records []pc.AuditRecord
	// first is the sequence number of records[0]. A record's sequence number never changes,
	// so continuation tokens (a sequence number) survive pruning and new records.
	first int
}

// end is the sequence number the next record gets.
func (l *auditLog) end() int { return l.first + len(l.records) }

// prune drops the records older than the retention period.
func (l *auditLog) prune(now time.Time) {
	cutoff, n := now.Add(-pc.AuditRetention), 0
	for n < len(l.records) && l.records[n].OperationDate.Before(cutoff) {
		n++
	}
	l.records, l.first = l.records[n:], l.first+n
}

const (
	// portalApplicationID is the applicationId of changes made in the Partner Center portal
	// (the Portal* control calls); API writes carry the token's appid. Choice: the samples
	// show display names there as well as GUIDs.
	portalApplicationID = "Partner Center Web"
	// simUserPrincipalName is the partner user behind App+User calls and portal changes
	// (app-only calls have none). Choice.
	simUserPrincipalName = "admin@partner.onmicrosoft.com"
	// defaultAuditPageSize is the page size when none is asked, and the largest served.
	// Choice: the documented sample without a size links itself with size=500.
	defaultAuditPageSize = 500
)

// recordAudit completes rec (ids, partner, date, status, customer name) and appends it.
// Callers hold s.mu.
func (s *Simulator) recordAudit(rec pc.AuditRecord, now time.Time) {
	s.audit.prune(now)
	if st := s.customers[rec.CustomerID]; st != nil && rec.CustomerName == "" {
		rec.CustomerName = st.customer.CompanyProfile.CompanyName
	}
	// Choice: ids follow the samples' <partner>_<customer>_<operation>_<number> pattern.
	rec.ID = strings.Join([]string{s.cfg.PartnerTenantID, rec.CustomerID, strings.ReplaceAll(rec.OperationType, "_", ""), strconv.Itoa(s.audit.end())}, "_")
	rec.PartnerID, rec.Participants = s.cfg.PartnerTenantID, []string{s.cfg.PartnerTenantID}
	rec.OperationDate, rec.OperationStatus = now.UTC(), pc.AuditStatusSucceeded
	rec.Attributes = pc.Attributes{ObjectType: pc.ObjectTypeAuditRecord}
	s.audit.records = append(s.audit.records, rec)
}

// auditedOperation is the record an API write leaves when it succeeds.
type auditedOperation struct {
	resourceType, operationType string
	// before reads the resource the write changes, for resourceOldValue (nil: none).
	before func(s *Simulator, c *call) any
	// after reads the written resource for resourceNewValue (nil: the reply body).
	after func(s *Simulator, customerID string) any
	// details derives customizedData from the call and the reply body (nil: none).
	details func(c *call, body []byte) []pc.KeyValuePair
}

// auditedOperations are the API writes that leave a record. Choice: address validation (no
// side effect) and the ARM cost-management policy (not Partner Center) leave none; an
// agreement is create_customer_agreement, an enhanced attestation (no customer yet: the
// record names none) create_enhanced_attestation, a support contact update_subscription and a
// cart's checkout create_order (the cart itself buys nothing), as no page names their
// operation types.
var auditedOperations = map[string]auditedOperation{
	pc.OpCreateCustomer:            {resourceType: pc.AuditResourceCustomer, operationType: pc.AuditOperationAddCustomer, after: storedCustomer, details: customerDetails},
	pc.OpDeleteCustomer:            {resourceType: pc.AuditResourceCustomer, operationType: pc.AuditOperationDeleteCustomer, before: customerBefore},
	opRemoveCustomerRelationship:   {resourceType: pc.AuditResourcePartnerCustomerRelationship, operationType: pc.AuditOperationRemovePartnerCustomerRelationship, before: customerBefore},
	pc.OpUpdateBillingProfile:      {resourceType: pc.AuditResourceCustomer, operationType: pc.AuditOperationUpdateCustomerBillingProfile, before: billingProfileBefore},
	pc.OpCreateQualification:       {resourceType: pc.AuditResourceCustomer, operationType: pc.AuditOperationUpdateCustomerQualification},
	pc.OpCreateAgreement:           {resourceType: pc.AuditResourceAgreement, operationType: pc.AuditOperationCreateCustomerAgreement},
	pc.OpCreateEnhancedAttestation: {resourceType: pc.AuditResourceAgreement, operationType: pc.AuditOperationCreateEnhancedAttestation, details: attestationDetails},
	pc.OpCreateOrder:               {resourceType: pc.AuditResourceOrder, operationType: pc.AuditOperationCreateOrder, details: orderDetails},
	pc.OpCheckoutCart:              {resourceType: pc.AuditResourceOrder, operationType: pc.AuditOperationCreateOrder},
	pc.OpUpdateSubscription:        {resourceType: pc.AuditResourceSubscription, operationType: pc.AuditOperationUpdateSubscription, before: subscriptionBefore, details: subscriptionDetails},
	pc.OpUpdateSupportContact:      {resourceType: pc.AuditResourceSubscription, operationType: pc.AuditOperationUpdateSubscription, details: subscriptionDetails},
}

// handleAudited runs a first-time write and, when it succeeds, records it in the audit log
// (replays of the same MS-RequestId are no new operation). Callers hold s.mu.
func (s *Simulator) handleAudited(rt route, c *call) reply {
	op, audited := auditedOperations[rt.op]
	if !audited {
		return rt.handle(s, c)
	}
	customerID := c.r.PathValue("id")
	rec := pc.AuditRecord{
		ResourceType: op.resourceType, OperationType: op.operationType, ApplicationID: c.claims.AppID,
		OriginalCorrelationID: c.r.Header.Get(pc.HeaderCorrelationID),
	}
	var nameBefore string
	if st := s.customers[customerID]; st != nil {
		nameBefore = st.customer.CompanyProfile.CompanyName
	}
	if op.before != nil {
		rec.ResourceOldValue = jsonString(op.before(s, c))
	}
	rep := rt.handle(s, c)
	if rep.status < 200 || rep.status > 299 {
		return rep
	}
	if customerID == "" { // a new customer: its id is in the answer
		var created pc.Customer
		_ = json.Unmarshal(rep.body, &created)
		customerID = created.ID
	}
	rec.CustomerID, rec.ResourceNewValue = customerID, string(rep.body)
	if s.customers[customerID] == nil {
		rec.CustomerName = nameBefore // deleted: the name it had (recordAudit reads the current one)
	}
	if op.after != nil {
		rec.ResourceNewValue = jsonString(op.after(s, customerID))
	}
	if op.details != nil {
		rec.CustomizedData = op.details(c, rep.body)
	}
	if c.claims.appUser() {
		rec.UserPrincipalName = simUserPrincipalName
	}
	s.recordAudit(rec, c.now)
	return rep
}

// jsonString renders v as the JSON string audit records carry ("" for nil).
func jsonString(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

func customerBefore(s *Simulator, c *call) any { return storedCustomer(s, c.r.PathValue("id")) }

// storedCustomer is the customer as stored, without the one-time admin password the create
// answer carries (the documented record shows it blank).
func storedCustomer(s *Simulator, customerID string) any {
	if st := s.customers[customerID]; st != nil {
		return st.customer
	}
	return nil
}

func billingProfileBefore(s *Simulator, c *call) any {
	if st := s.customers[c.r.PathValue("id")]; st != nil {
		return st.customer.BillingProfile
	}
	return nil
}

func subscriptionBefore(s *Simulator, c *call) any {
	if sub := s.subscriptions[c.r.PathValue("subId")]; sub != nil {
		return sub.sub
	}
	return nil
}

func customerDetails(_ *call, body []byte) []pc.KeyValuePair {
	var created pc.Customer
	if json.Unmarshal(body, &created) != nil || created.CompanyProfile == nil {
		return nil
	}
	return []pc.KeyValuePair{{Key: pc.AuditKeyPrimaryDomainName, Value: created.CompanyProfile.Domain}}
}

// attestationDetails name the attestation created (AttestationId).
func attestationDetails(_ *call, body []byte) []pc.KeyValuePair {
	var att pc.EnhancedAttestation
	if json.Unmarshal(body, &att) != nil || att.AttestationID == "" {
		return nil
	}
	return []pc.KeyValuePair{{Key: pc.AuditKeyAttestationID, Value: att.AttestationID}}
}

// orderDetails are the documented create_order keys: OrderId, then per line item n
// OfferId-n, SubscriptionId-n and Quantity-n.
func orderDetails(_ *call, body []byte) []pc.KeyValuePair {
	var o pc.Order
	if json.Unmarshal(body, &o) != nil {
		return nil
	}
	data := []pc.KeyValuePair{{Key: pc.AuditKeyOrderID, Value: o.ID}}
	for _, li := range o.LineItems {
		n := "-" + strconv.Itoa(li.LineItemNumber)
		data = append(data,
			pc.KeyValuePair{Key: "OfferId" + n, Value: li.OfferID},
			pc.KeyValuePair{Key: pc.AuditKeySubscriptionID + n, Value: li.SubscriptionID},
			pc.KeyValuePair{Key: "Quantity" + n, Value: strconv.Itoa(li.Quantity)})
	}
	return data
}

func subscriptionDetails(c *call, _ []byte) []pc.KeyValuePair {
	return subscriptionIDData(c.r.PathValue("subId"))
}

// subscriptionIDData names the subscription an update_subscription record is about.
func subscriptionIDData(subscriptionID string) []pc.KeyValuePair {
	return []pc.KeyValuePair{{Key: pc.AuditKeySubscriptionID, Value: subscriptionID}}
}

// listAuditRecords serves GET /v1/auditrecords: the records between startDate (default 30
// days ago, at most 90 days ago) and endDate (default now, or startDate + 30 days if
// earlier), size per page, optionally filtered; the next page is the same query with the
// page's continuationToken in MS-ContinuationToken. Choice: newest first, as the samples
// list them; the token is a record's sequence number, so new records never shift the pages
// that follow.
func (s *Simulator) listAuditRecords(c *call) reply {
	q := c.r.URL.Query()
	start, end, rep, ok := auditWindow(q.Get("startDate"), q.Get("endDate"), c.now)
	if !ok {
		return rep
	}
	filter, hasFilter := parseFilter(c.r)
	if q.Get("filter") != "" && (!hasFilter || !auditFilterFields[strings.ToLower(filter.Field)]) {
		return invalidInput("filter must be {\"Field\": \"CustomerId\"|\"CompanyName\"|\"ResourceType\", \"Value\": ..., \"Operator\": ...}.")
	}
	size := defaultAuditPageSize
	if n, err := strconv.Atoi(q.Get("size")); err == nil && n > 0 {
		size = min(n, defaultAuditPageSize)
	}
	s.audit.prune(c.now)
	cursor := s.audit.end()
	if token := c.r.Header.Get(pc.HeaderContinuationToken); token != "" {
		n, err := strconv.Atoi(token)
		if err != nil || n < 0 {
			return invalidInput("The continuation token is not valid.")
		}
		cursor = min(n, cursor)
	}
	page := pc.Collection[pc.AuditRecord]{Items: []pc.AuditRecord{}, Attributes: pc.Attributes{ObjectType: pc.ObjectTypeCollection}}
	self := "/auditrecords?" + c.r.URL.RawQuery
	for seq := cursor - 1; seq >= s.audit.first; seq-- {
		r := s.audit.records[seq-s.audit.first]
		if r.OperationDate.Before(start) {
			break // older records only from here
		}
		if r.OperationDate.After(end) || (hasFilter && !matchesAuditFilter(r, filter)) {
			continue
		}
		if len(page.Items) == size {
			page.ContinuationToken = strconv.Itoa(seq + 1)
			break
		}
		page.Items = append(page.Items, r)
	}
	page.TotalCount = len(page.Items)
	page.Links = pc.Links{"self": {URI: self, Method: http.MethodGet, Headers: []pc.LinkHeader{}}}
	if page.ContinuationToken != "" {
		page.Links["next"] = pc.Link{URI: self, Method: http.MethodGet,
			Headers: []pc.LinkHeader{{Key: pc.HeaderContinuationToken, Value: page.ContinuationToken}}}
	}
	return jsonReply(http.StatusOK, page)
}

// auditWindow reads and checks the start and end dates. A start more than the retention
// period back is 400 (documented). Choice: so is an end before the start or a window longer
// than pc.AuditMaxWindow (400 2000); a start ahead of the clock without an end is an empty
// window.
func auditWindow(startParam, endParam string, now time.Time) (start, end time.Time, rep reply, ok bool) {
	start = now.Add(-pc.AuditMaxWindow)
	if startParam != "" {
		if start, ok = parseAuditDate(startParam, false); !ok {
			return start, end, invalidInput("startDate must be yyyy-mm-dd or an RFC 3339 date-time."), false
		}
	}
	switch end = now; {
	case start.Add(pc.AuditMaxWindow).Before(now):
		end = start.Add(pc.AuditMaxWindow)
	case start.After(now):
		end = start
	}
	if endParam != "" {
		if end, ok = parseAuditDate(endParam, true); !ok {
			return start, end, invalidInput("endDate must be yyyy-mm-dd or an RFC 3339 date-time."), false
		}
	}
	switch {
	case start.Before(now.Add(-pc.AuditRetention)):
		return start, end, legacyError(http.StatusBadRequest, "400", "Audit records are kept for 90 days: the start date is too far back."), false
	case end.Before(start):
		return start, end, invalidInput("endDate is before startDate."), false
	case end.Sub(start) > pc.AuditMaxWindow:
		return start, end, invalidInput("The date range may span at most 30 days."), false
	}
	return start, end, reply{}, true
}

// parseAuditDate reads yyyy-mm-dd or an RFC 3339 date-time. Choice: a bare date as the end
// date means the end of that day (the sample asks startDate=endDate=2020-09-02 for a day).
func parseAuditDate(v string, endOfDay bool) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, true
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, false
	}
	if endOfDay {
		t = t.Add(24*time.Hour - time.Nanosecond)
	}
	return t, true
}

// auditFilterFields are the documented filter fields, lower-cased.
var auditFilterFields = map[string]bool{
	strings.ToLower(pc.AuditFilterFieldCustomerID):   true,
	strings.ToLower(pc.AuditFilterFieldCompanyName):  true,
	strings.ToLower(pc.AuditFilterFieldResourceType): true,
}

// matchesAuditFilter applies a filter, ignoring case. Choice: each field takes the operator
// the request-syntax table gives it (CompanyName substring, the others equals), whatever
// the request says.
func matchesAuditFilter(r pc.AuditRecord, f pc.Filter) bool {
	switch strings.ToLower(f.Field) {
	case strings.ToLower(pc.AuditFilterFieldCustomerID):
		return strings.EqualFold(r.CustomerID, f.Value)
	case strings.ToLower(pc.AuditFilterFieldCompanyName):
		return strings.Contains(strings.ToLower(r.CustomerName), strings.ToLower(f.Value))
	}
	return strings.EqualFold(r.ResourceType, f.Value)
}

// PortalChangeQuantity is a partner user changing a subscription's seat count in the Partner
// Center portal: the change bypasses the API and shows up only as an update_subscription
// audit record. Choice: portal changes are applied as given (no etag, cancellation-window or
// verification check).
func (s *Simulator) PortalChangeQuantity(subscriptionID string, quantity int) error {
	if quantity < 1 {
		return fmt.Errorf("pcsim: quantity %d: at least 1 seat", quantity)
	}
	return s.portalChangeSubscription(subscriptionID, func(sub *pc.Subscription) { sub.Quantity = quantity })
}

// PortalSuspendSubscription is a partner user suspending a subscription in the portal.
func (s *Simulator) PortalSuspendSubscription(subscriptionID string) error {
	return s.portalChangeSubscription(subscriptionID, func(sub *pc.Subscription) { sub.Status = pc.SubscriptionStatusSuspended })
}

// portalChangeSubscription applies edit with a new etag and records it as a portal change.
func (s *Simulator) portalChangeSubscription(subscriptionID string, edit func(*pc.Subscription)) error {
	return s.locked(func(now time.Time) error {
		sub := s.subscriptions[subscriptionID]
		if sub == nil {
			return fmt.Errorf("pcsim: unknown subscription %q", subscriptionID)
		}
		old := sub.sub
		edit(&sub.sub)
		sub.sub.Attributes.Etag = s.newEtag()
		s.track(sub)
		s.recordPortalChange(sub.customerID, pc.AuditResourceSubscription, pc.AuditOperationUpdateSubscription, old, sub.sub, subscriptionIDData(subscriptionID), now)
		return nil
	})
}

// PortalEditBillingProfile is a partner user editing a customer's billing profile in the
// portal (profile's ID and etag are ignored); as through the API, a changed verified field
// sends the customer back to UnderReview.
func (s *Simulator) PortalEditBillingProfile(customerID string, profile pc.BillingProfile) error {
	return s.withCustomer(customerID, func(c *customerState, now time.Time) {
		old := *c.customer.BillingProfile
		next := s.replaceBillingProfile(c, profile, now)
		s.recordPortalChange(customerID, pc.AuditResourceCustomer, pc.AuditOperationUpdateCustomerBillingProfile, old, next, nil, now)
	})
}

// recordPortalChange records a change made in the portal. Callers hold s.mu.
func (s *Simulator) recordPortalChange(customerID, resourceType, operationType string, old, next any, details []pc.KeyValuePair, now time.Time) {
	s.recordAudit(pc.AuditRecord{
		CustomerID: customerID, ResourceType: resourceType, OperationType: operationType,
		UserPrincipalName: simUserPrincipalName, ApplicationID: portalApplicationID,
		ResourceOldValue: jsonString(old), ResourceNewValue: jsonString(next), CustomizedData: details,
	}, now)
}
