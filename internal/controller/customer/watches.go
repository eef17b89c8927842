package customer

import (
	"context"
	"slices"

	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// indexResellerRef is the field index function for resellerRefIndex.
func indexResellerRef(obj client.Object) []string {
	c, ok := obj.(*v1alpha1.Customer)
	if !ok || c.Spec.IndirectResellerRef == nil {
		return nil
	}
	return []string{c.Spec.IndirectResellerRef.Name}
}

// customersOfPartnership wakes the Customers whose indirectResellerRef names
// the ResellerPartnership (R1, R4: they wait for it to become Active).
func (r *Reconciler) customersOfPartnership(ctx context.Context, obj client.Object) []reconcile.Request {
	return controller.RequestsWhere(ctx, r.Client, &v1alpha1.CustomerList{}, obj.GetNamespace(), resellerRefIndex, obj.GetName())
}

// customerOfAttestation wakes the Customer an MCAAttestation names.
func customerOfAttestation(_ context.Context, obj client.Object) []reconcile.Request {
	a, ok := obj.(*v1alpha1.MCAAttestation)
	if !ok || a.Spec.CustomerRef.Name == "" {
		return nil
	}
	return []reconcile.Request{{NamespacedName: client.ObjectKey{Namespace: a.Namespace, Name: a.Spec.CustomerRef.Name}}}
}

// agreementReportChanged lets through the MCAAttestation updates that change
// what the attestation reports about the agreement, the only thing a Customer
// takes from it (M6): its intent annotation changes nothing in Partner Center.
var agreementReportChanged = controller.UpdatesChanging(agreementReportOf)

// agreementReport is what an MCAAttestation reports about the agreement.
type agreementReport struct {
	AgreementStatus, ConfirmedBy string
}

// agreementReportOf reads the agreementReport of a.
func agreementReportOf(a *v1alpha1.MCAAttestation) any {
	return agreementReport{AgreementStatus: a.Status.AgreementStatus, ConfirmedBy: confirmedAttestation(a)}
}

// attestationConfirmed tells whether an MCAAttestation of the Customer
// reports the agreement Partner Center confirmed: then it needs no second
// read (M6). The attestations are found through controller.CustomerRefField.
func (r *Reconciler) attestationConfirmed(ctx context.Context, c *v1alpha1.Customer) (bool, error) {
	var list v1alpha1.MCAAttestationList
	if err := r.Client.List(ctx, &list, client.InNamespace(c.Namespace), client.MatchingFields{controller.CustomerRefField: c.Name}); err != nil {
		return false, err
	}
	return slices.ContainsFunc(list.Items, func(a v1alpha1.MCAAttestation) bool { return confirmedAttestation(&a) != "" }), nil
}

// confirmedAttestation is the attestation's name when Partner Center
// confirmed its agreement (it is Accepted and reports Provided), else "".
func confirmedAttestation(a *v1alpha1.MCAAttestation) string {
	if a.Status.AgreementStatus != v1alpha1.AgreementProvided || !status.IsTrue(a, v1alpha1.ConditionAccepted) {
		return ""
	}
	return a.Name
}
