package partnercenter

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// checkAuditRecordsSample checks the fields of a page in the documented shape (the
// get-a-record-of-partner-center-activity sample's keys), decoded by TestWireResponsesDecode.
func checkAuditRecordsSample(t *testing.T, v any) {
	page := v.(*wire.Collection[wire.AuditRecord])
	if len(page.Items) != 2 || page.Attributes.ObjectType != wire.ObjectTypeCollection {
		t.Fatalf("collection %+v", page)
	}
	order := page.Items[0]
	if order.OperationType != wire.AuditOperationCreateOrder || order.ResourceType != wire.AuditResourceOrder ||
		order.OperationStatus != wire.AuditStatusSucceeded || order.Attributes.ObjectType != wire.ObjectTypeAuditRecord ||
		!order.OperationDate.Equal(time.Date(2020, 9, 2, 17, 58, 10, 926837200, time.UTC)) {
		t.Errorf("create_order record %+v", order)
	}
	if id, ok := order.Value(wire.AuditKeySubscriptionID + "-0"); !ok || id != "488745b5-2086-4912-802c-6abb9f7c3638" {
		t.Errorf("SubscriptionId-0 = %q, %t", id, ok)
	}
	if v, ok := order.Value("PartnerOnRecord-0"); !ok || v != "" {
		t.Errorf("a null customizedData value = %q, %t", v, ok)
	}
	if _, ok := order.Value("NoSuchKey"); ok {
		t.Error("Value found a key the record does not have")
	}
	if page.Items[1].OperationType != wire.AuditOperationAddCustomer || page.Items[1].CustomerName != "Fabrikam" {
		t.Errorf("add_customer record %+v", page.Items[1])
	}
}

func TestListAuditRecordsRequestsAndPaging(t *testing.T) {
	srv := newFakeServer(t,
		reply{status: 200, body: `{"totalCount":1,"items":[{"id":"r2","operationType":"update_subscription"}],"continuationToken":"7"}`},
		reply{status: 200, body: `{"totalCount":1,"items":[{"id":"r1","operationType":"add_customer"}]}`},
	)
	c := newTestClient(t, srv.URL)
	start := time.Date(2026, 12, 1, 8, 30, 0, 0, time.FixedZone("CET", 3600))
	end := start.Add(time.Hour)
	all, err := c.ListAllAuditRecords(context.Background(), ListAuditRecordsOptions{
		Start: start, End: end, Size: 100,
		Filter: &wire.Filter{Field: wire.AuditFilterFieldCustomerID, Value: "cust-1", Operator: wire.AuditFilterOperatorEquals},
	})
	if err != nil || len(all) != 2 || all[0].ID != "r2" || all[1].ID != "r1" {
		t.Fatalf("ListAllAuditRecords = %+v, %v", all, err)
	}
	reqs := srv.requests()
	for i, want := range []string{"", "7"} {
		r := reqs[i]
		if r.Method != http.MethodGet || r.Path != "/v1/auditrecords" || r.Header.Get(wire.HeaderContinuationToken) != want {
			t.Errorf("request %d: %s %s token %q", i, r.Method, r.Path, r.Header.Get(wire.HeaderContinuationToken))
		}
		q := r.Query
		if q["startDate"][0] != "2026-12-01T07:30:00Z" || q["endDate"][0] != "2026-12-01T08:30:00Z" || q["size"][0] != "100" ||
			q["filter"][0] != `{"Field":"CustomerId","Value":"cust-1","Operator":"equals"}` {
			t.Errorf("request %d query %v", i, q)
		}
	}
}
