package subscription

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

const nceOffer = "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P"

func spec(quantity int32, state v1alpha1.SubscriptionState, autoRenew bool) *v1alpha1.SubscriptionSpec {
	return &v1alpha1.SubscriptionSpec{OfferID: nceOffer, Quantity: quantity, State: state, AutoRenew: &autoRenew}
}

func remoteSub(quantity int, st string, autoRenew bool) wire.Subscription {
	return wire.Subscription{ID: "sub-1", Quantity: quantity, Status: st, AutoRenewEnabled: autoRenew, PartnerID: "111111"}
}

func TestDesiredChanges(t *testing.T) {
	active, suspended := v1alpha1.SubscriptionActive, v1alpha1.SubscriptionSuspended
	for _, tc := range []struct {
		name      string
		spec      *v1alpha1.SubscriptionSpec
		partnerID string
		remote    wire.Subscription
		want      []string
		status    string
	}{
		{"in line: nothing", spec(5, active, true), "", remoteSub(5, "active", true), nil, "active"},
		{"S3: quantity and auto-renew together", spec(8, active, false), "", remoteSub(5, "active", true), []string{"quantity 5 → 8", "autoRenew true → false"}, "active"},
		{"R5: a reseller named later becomes partner of record", spec(5, active, true), "222222", remoteSub(5, "active", true), []string{`partner of record "111111" → "222222"`}, "active"},
		{"new commerce Suspended cancels, alone", spec(9, suspended, true), "", remoteSub(5, "active", true), []string{"status active → deleted"}, "deleted"},
		{"a cancelled subscription takes no other change", spec(9, suspended, false), "", remoteSub(5, "deleted", true), nil, "deleted"},
		{"a pending subscription takes no change yet", spec(9, active, true), "", remoteSub(5, "pending", true), nil, "pending"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next, changes := desiredChanges(tc.spec, tc.partnerID, tc.remote)
			if strings.Join(changes, ";") != strings.Join(tc.want, ";") || next.Status != tc.status {
				t.Fatalf("changes %q status %q; want %q %q", changes, next.Status, tc.want, tc.status)
			}
		})
	}
}

func TestLegacyOffersAreSuspendedNotCancelled(t *testing.T) {
	legacy := &v1alpha1.SubscriptionSpec{OfferID: "MS-AZR-0145P", State: v1alpha1.SubscriptionSuspended}
	if got := remoteStatusFor(legacy); got != wire.SubscriptionStatusSuspended {
		t.Fatalf("legacy Suspended → %q", got)
	}
	if got := remoteStatusFor(spec(1, v1alpha1.SubscriptionSuspended, true)); got != wire.SubscriptionStatusDeleted {
		t.Fatalf("new-commerce Suspended → %q", got)
	}
}

func TestDriftIsWhatMovedWithoutTheOperator(t *testing.T) {
	synced := &metav1.Time{Time: time.Now()}
	on := true
	prev := v1alpha1.SubscriptionStatus{Quantity: 5, AutoRenew: &on, RemoteStatus: "active", LastSyncTime: synced}
	for _, tc := range []struct {
		name   string
		prev   v1alpha1.SubscriptionStatus
		spec   *v1alpha1.SubscriptionSpec
		remote wire.Subscription
		want   string
	}{
		{"nothing moved", prev, spec(5, v1alpha1.SubscriptionActive, true), remoteSub(5, "active", true), ""},
		{"quantity changed in the portal", prev, spec(5, v1alpha1.SubscriptionActive, true), remoteSub(7, "active", true), "quantity 5 → 7"},
		{"our own change whose answer was lost is no drift", prev, spec(7, v1alpha1.SubscriptionActive, true), remoteSub(7, "active", true), ""},
		{"suspended outside the operator", prev, spec(5, v1alpha1.SubscriptionActive, true), remoteSub(5, "suspended", true), "status active → suspended"},
		{"auto-renew switched off outside", prev, spec(5, v1alpha1.SubscriptionActive, true), remoteSub(5, "active", false), "autoRenew true → false"},
		{"the life cycle (expiry) is no drift", prev, spec(5, v1alpha1.SubscriptionActive, true), remoteSub(5, "expired", true), ""},
		{"first read: nothing to compare", v1alpha1.SubscriptionStatus{}, spec(5, v1alpha1.SubscriptionActive, true), remoteSub(9, "active", true), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.remote
			if got := driftOf(tc.prev, tc.spec, &r); got != tc.want {
				t.Fatalf("drift %q, want %q", got, tc.want)
			}
		})
	}
}

func TestOrderCarriesTheLineItemAndPartnerOfRecord(t *testing.T) {
	s := &v1alpha1.Subscription{Spec: v1alpha1.SubscriptionSpec{
		OfferID: nceOffer, Quantity: 12, TermDuration: "P1Y", BillingCycle: v1alpha1.BillingAnnual, FriendlyName: "m365",
		ResellerRef: &v1alpha1.LocalObjectReference{Name: "trey"},
	}}
	reseller := &v1alpha1.ResellerPartnership{Status: v1alpha1.ResellerPartnershipStatus{ResellerMPNID: "4847383"}}
	o := orderOf(s, "c-1", reseller)
	line := o.LineItems[0]
	if o.BillingCycle != wire.BillingCycleAnnual || o.ReferenceCustomerID != "c-1" || !o.PartnerOnRecordAttestationAccepted ||
		line.LineItemNumber != 0 || line.OfferID != nceOffer || line.Quantity != 12 || line.TermDuration != "P1Y" || line.PartnerIDOnRecord != "4847383" {
		t.Fatalf("order %+v", o)
	}
	s.Spec.ResellerRef = nil
	if o := orderOf(s, "c-1", nil); o.LineItems[0].PartnerIDOnRecord != "" || o.PartnerOnRecordAttestationAccepted {
		t.Fatalf("without a reseller: %+v", o)
	}
}

func TestRequestIDIsStablePerIntent(t *testing.T) {
	s := &v1alpha1.Subscription{ObjectMeta: metav1.ObjectMeta{UID: "uid-1"}}
	other := &v1alpha1.Subscription{ObjectMeta: metav1.ObjectMeta{UID: "uid-2"}}
	if requestID(s, "order/1") != requestID(s, "order/1") {
		t.Fatal("the same intent must replay the same MS-RequestId")
	}
	if requestID(s, "order/1") == requestID(s, "order/2") || requestID(s, "order/1") == requestID(other, "order/1") {
		t.Fatal("another attempt or another object must get another MS-RequestId")
	}
}

func TestAReadThatFindsNothingNewLeavesLastSyncTime(t *testing.T) {
	clock := clocktesting.NewFakePassiveClock(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC))
	r := &Reconciler{}
	r.Config.Clock = clock
	s := &v1alpha1.Subscription{}
	remote := remoteSub(5, "active", true)
	remote.CommitmentEndDate = "2027-11-01T00:00:00Z"

	r.record(s, &remote)
	first := s.Status.LastSyncTime
	if first == nil || s.Status.Quantity != 5 || s.Status.RenewsAt == nil {
		t.Fatalf("first read not recorded: %+v", s.Status)
	}
	clock.SetTime(clock.Now().Add(time.Hour))
	same := remote
	r.record(s, &same)
	if !s.Status.LastSyncTime.Equal(first) {
		t.Fatalf("a read that found nothing new moved lastSyncTime to %v (an idle resync would write status)", s.Status.LastSyncTime)
	}
	clock.SetTime(clock.Now().Add(time.Hour))
	moved := remoteSub(7, "active", true)
	moved.CommitmentEndDate = remote.CommitmentEndDate
	r.record(s, &moved)
	if s.Status.Quantity != 7 || !s.Status.LastSyncTime.Time.Equal(clock.Now()) {
		t.Fatalf("a changed quantity must be recorded and stamped: %+v", s.Status)
	}
}
