package pcsim

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// auditPage reads one page of audit records with the query and continuation token.
func (h *harness) auditPage(query url.Values, token string) wire.Collection[wire.AuditRecord] {
	h.t.Helper()
	var headers []string
	if token != "" {
		headers = []string{wire.HeaderContinuationToken, token}
	}
	rec := h.do(h.appOnly, http.MethodGet, "/v1/auditrecords?"+query.Encode(), nil, headers...)
	h.expect(rec, http.StatusOK, "")
	var page wire.Collection[wire.AuditRecord]
	h.decodeInto(rec, &page)
	return page
}

// since is the query for the records since t.
func since(t time.Time) url.Values {
	return url.Values{"startDate": {t.Format(time.RFC3339)}}
}

func operationTypes(records []wire.AuditRecord) []string {
	var ops []string
	for _, r := range records {
		ops = append(ops, r.OperationType)
	}
	return ops
}

func TestAuditRecordsOfAPIWritesAndPortalChanges(t *testing.T) {
	h := newHarness(t, Config{DirectSignDelay: -1})
	start := h.clock.Now()
	c, sub := activeSubscription(t, h, "audit.onmicrosoft.com")
	subPath := "/v1/customers/" + c.ID + "/subscriptions/" + sub.ID
	more := sub
	more.Quantity = 9
	h.expect(h.do(h.appOnly, http.MethodPatch, subPath, more, wire.HeaderIfMatch, `"`+sub.Attributes.Etag+`"`, wire.HeaderCorrelationID, "corr-1"), http.StatusOK, "")
	// A failed write (stale etag) and a read leave no record.
	h.expect(h.do(h.appOnly, http.MethodPatch, subPath, more, wire.HeaderIfMatch, `"stale"`), http.StatusBadRequest, wire.CodeSubscriptionETagStale)
	h.do(h.appOnly, http.MethodGet, subPath, nil)

	h.clock.Advance(time.Hour)
	if err := h.sim.PortalChangeQuantity(sub.ID, 12); err != nil {
		t.Fatal(err)
	}
	if err := h.sim.PortalSuspendSubscription(sub.ID); err != nil {
		t.Fatal(err)
	}
	profile := *c.BillingProfile
	profile.CompanyName = "Renamed in the portal"
	if err := h.sim.PortalEditBillingProfile(c.ID, profile); err != nil {
		t.Fatal(err)
	}

	page := h.auditPage(since(start), "")
	wantOps := []string{ // newest first
		wire.AuditOperationUpdateCustomerBillingProfile, wire.AuditOperationUpdateSubscription, wire.AuditOperationUpdateSubscription,
		wire.AuditOperationUpdateSubscription, wire.AuditOperationCreateOrder, wire.AuditOperationCreateCustomerAgreement, wire.AuditOperationAddCustomer,
	}
	if got := operationTypes(page.Items); strings.Join(got, ",") != strings.Join(wantOps, ",") {
		t.Fatalf("operation types %v, want %v", got, wantOps)
	}
	if page.TotalCount != len(wantOps) || page.ContinuationToken != "" || page.Attributes.ObjectType != wire.ObjectTypeCollection {
		t.Fatalf("collection envelope %+v", page)
	}
	for _, r := range page.Items {
		if r.CustomerID != c.ID || r.PartnerID != DefaultPartnerTenantID || r.OperationStatus != wire.AuditStatusSucceeded ||
			r.Attributes.ObjectType != wire.ObjectTypeAuditRecord || r.ID == "" || r.CustomerName == "" {
			t.Errorf("record shape %+v", r)
		}
	}

	portalRename, portalSuspend, portalQuantity, apiPatch, order, addCustomer := page.Items[0], page.Items[1], page.Items[2], page.Items[3], page.Items[4], page.Items[6]
	if !portalRename.OperationDate.Equal(start.Add(time.Hour)) || !apiPatch.OperationDate.Equal(start) {
		t.Errorf("operation dates %s, %s: want the simulated times", portalRename.OperationDate, apiPatch.OperationDate)
	}
	if portalRename.CustomerName != "Renamed in the portal" || portalRename.ApplicationID != portalApplicationID || portalRename.ResourceType != wire.AuditResourceCustomer {
		t.Errorf("portal billing edit %+v", portalRename)
	}
	if !strings.Contains(portalSuspend.ResourceNewValue, `"status":"suspended"`) || !strings.Contains(portalSuspend.ResourceOldValue, `"status":"active"`) {
		t.Errorf("portal suspension values old %s new %s", portalSuspend.ResourceOldValue, portalSuspend.ResourceNewValue)
	}
	if id, _ := portalQuantity.Value(wire.AuditKeySubscriptionID); id != sub.ID || !strings.Contains(portalQuantity.ResourceNewValue, `"quantity":12`) {
		t.Errorf("portal quantity change %+v", portalQuantity)
	}
	if apiPatch.ApplicationID != simAppID || apiPatch.OriginalCorrelationID != "corr-1" || apiPatch.UserPrincipalName != "" ||
		!strings.Contains(apiPatch.ResourceOldValue, `"quantity":5`) || !strings.Contains(apiPatch.ResourceNewValue, `"quantity":9`) {
		t.Errorf("API subscription update %+v", apiPatch)
	}
	if id, _ := order.Value(wire.AuditKeySubscriptionID + "-0"); id != sub.ID || order.ResourceType != wire.AuditResourceOrder {
		t.Errorf("create_order record %+v", order)
	}
	if domain, _ := addCustomer.Value(wire.AuditKeyPrimaryDomainName); domain != "audit.onmicrosoft.com" || strings.Contains(addCustomer.ResourceNewValue, "password") {
		t.Errorf("add_customer record %+v", addCustomer)
	}
	got := h.sim.Subscriptions()[0]
	if got.Status != wire.SubscriptionStatusSuspended || got.Quantity != 12 {
		t.Errorf("portal changes not applied: %+v", got)
	}
}

func TestAuditRecordOfTheEnhancedAttestationCreate(t *testing.T) {
	h := newHarness(t, Config{AttestationAcceptDelay: -1})
	att := h.createAttestation(signatory("tania@audit.example", 60))
	records := h.auditPage(since(epoch), "").Items
	if len(records) != 1 {
		t.Fatalf("%d records for one attestation create: %v", len(records), operationTypes(records))
	}
	rec := records[0]
	if id, _ := rec.Value(wire.AuditKeyAttestationID); id != att.AttestationID || rec.OperationType != wire.AuditOperationCreateEnhancedAttestation ||
		rec.ResourceType != wire.AuditResourceAgreement || rec.CustomerID != "" || rec.OperationStatus != wire.AuditStatusSucceeded {
		t.Errorf("create_enhanced_attestation record %+v", rec)
	}
}

func TestAuditRecordReplayIsNoNewRecord(t *testing.T) {
	h := newHarness(t, Config{})
	for range 2 {
		h.expect(h.do(h.appOnly, http.MethodPost, "/v1/customers", customerRequest("replay.onmicrosoft.com", "US"), wire.HeaderRequestID, "rid-1"), http.StatusCreated, "")
	}
	if n := len(h.auditPage(since(epoch), "").Items); n != 1 {
		t.Fatalf("%d records for one create replayed once", n)
	}
}

func TestAuditRecordsPaging(t *testing.T) {
	h := newHarness(t, Config{})
	for i := range 5 {
		h.createCustomer("page" + strconv.Itoa(i) + ".onmicrosoft.com")
		h.clock.Advance(time.Minute)
	}
	q := since(epoch)
	q.Set("size", "2")
	first := h.auditPage(q, "")
	// A record written between pages does not shift the pages that follow.
	h.createCustomer("late.onmicrosoft.com")
	second := h.auditPage(q, first.ContinuationToken)
	third := h.auditPage(q, second.ContinuationToken)
	var domains []string
	for _, p := range []wire.Collection[wire.AuditRecord]{first, second, third} {
		for _, r := range p.Items {
			d, _ := r.Value(wire.AuditKeyPrimaryDomainName)
			domains = append(domains, strings.TrimSuffix(d, ".onmicrosoft.com"))
		}
	}
	if got := strings.Join(domains, ","); got != "page4,page3,page2,page1,page0" {
		t.Fatalf("pages hold %s", got)
	}
	if first.ContinuationToken == "" || first.Links["next"].Headers[0].Key != wire.HeaderContinuationToken || third.ContinuationToken != "" {
		t.Fatalf("continuation: first %q (links %+v), last %q", first.ContinuationToken, first.Links, third.ContinuationToken)
	}
}

func TestAuditRecordsWindowFilterAndRetention(t *testing.T) {
	h := newHarness(t, Config{})
	a := h.createCustomer("alpha.onmicrosoft.com")
	h.clock.Advance(48 * time.Hour)
	h.createCustomer("beta.onmicrosoft.com")
	day := func(t time.Time) string { return t.Format(time.DateOnly) }

	tests := []struct {
		name      string
		query     url.Values
		status    int
		customers int
	}{
		{"default window: the last 30 days", url.Values{}, http.StatusOK, 2},
		{"one day, bare dates", url.Values{"startDate": {day(epoch)}, "endDate": {day(epoch)}}, http.StatusOK, 1},
		{"filter by customer id", url.Values{"startDate": {day(epoch)}, "filter": {`{"Field":"CustomerId","Value":"` + strings.ToUpper(a.ID) + `","Operator":"equals"}`}}, http.StatusOK, 1},
		{"filter by company name substring", url.Values{"startDate": {day(epoch)}, "filter": {`{"Field":"CompanyName","Value":"BETA","Operator":"substring"}`}}, http.StatusOK, 1},
		{"filter by resource type", url.Values{"startDate": {day(epoch)}, "filter": {`{"Field":"ResourceType","Value":"Subscription","Operator":"equals"}`}}, http.StatusOK, 0},
		{"unknown filter field", url.Values{"filter": {`{"Field":"Domain","Value":"x","Operator":"equals"}`}}, http.StatusBadRequest, 0},
		{"start more than 90 days back", url.Values{"startDate": {day(epoch.AddDate(0, 0, -89))}}, http.StatusBadRequest, 0},
		{"window over 30 days", url.Values{"startDate": {day(epoch.AddDate(0, 0, -31))}, "endDate": {day(epoch)}}, http.StatusBadRequest, 0},
		{"start ahead of the clock", url.Values{"startDate": {epoch.Add(72 * time.Hour).Format(time.RFC3339)}}, http.StatusOK, 0},
		{"end before start", url.Values{"startDate": {day(epoch)}, "endDate": {day(epoch.AddDate(0, 0, -1))}}, http.StatusBadRequest, 0},
		{"bad date", url.Values{"startDate": {"6/1/2017"}}, http.StatusBadRequest, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := h.do(h.appOnly, http.MethodGet, "/v1/auditrecords?"+tt.query.Encode(), nil)
			h.expect(rec, tt.status, "")
			var page wire.Collection[wire.AuditRecord]
			h.decodeInto(rec, &page)
			if len(page.Items) != tt.customers {
				t.Fatalf("%d records, want %d", len(page.Items), tt.customers)
			}
		})
	}

	h.clock.Advance(wire.AuditRetention - time.Hour) // alpha is now past 90 days, beta is not
	h.createCustomer("gamma.onmicrosoft.com")
	if got := len(h.sim.audit.records); got != 2 {
		t.Fatalf("%d records kept after 90 days, want 2", got)
	}
}

func TestAuditRecordsNameTheCustomerAfterTheWrite(t *testing.T) {
	h := newHarness(t, Config{})
	c := h.createCustomer("named.onmicrosoft.com")
	profile := *c.BillingProfile
	profile.CompanyName = "Renamed through the API"
	h.expect(h.do(h.appOnly, http.MethodPut, "/v1/customers/"+c.ID+"/profiles/billing", profile, wire.HeaderIfMatch, profile.Attributes.Etag), http.StatusOK, "")
	h.expect(h.do(h.appOnly, http.MethodDelete, "/v1/customers/"+c.ID, nil), http.StatusNoContent, "")
	page := h.auditPage(since(epoch), "")
	if got := operationTypes(page.Items); strings.Join(got, ",") != "delete_customer,update_customer_billing_profile,add_customer" {
		t.Fatalf("operation types %v", got)
	}
	deleted, renamed := page.Items[0], page.Items[1]
	if deleted.CustomerName != "Renamed through the API" || !strings.Contains(deleted.ResourceOldValue, "named.onmicrosoft.com") || deleted.ResourceNewValue != "" {
		t.Errorf("delete_customer record %+v", deleted)
	}
	if renamed.CustomerName != "Renamed through the API" || !strings.Contains(renamed.ResourceOldValue, `"companyName":"Contoso named.onmicrosoft.com"`) {
		t.Errorf("update_customer_billing_profile record %+v", renamed)
	}
}
