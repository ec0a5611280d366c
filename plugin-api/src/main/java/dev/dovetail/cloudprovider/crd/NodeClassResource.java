package dev.dovetail.cloudprovider.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * The base of a provider's NodeClass custom resource: the printer columns every Karpenter NodeClass
 * shows ({@code Ready} from the Ready condition, {@code Age}), which fabric8's CRD generator
 * collects up the class hierarchy ahead of the subclass's own columns. The resource names
 * ({@code @Group}, {@code @Version}, {@code @Plural}, ...) stay on the concrete class: fabric8
 * reads them from it alone.
 *
 * <p>The fabric8 client API is a {@code provided} dependency of the plugin API: the host and every
 * plugin already have it.
 */
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public abstract class NodeClassResource<S, T> extends CustomResource<S, T> {}
