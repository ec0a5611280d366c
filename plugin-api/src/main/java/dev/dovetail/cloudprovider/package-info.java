/**
 * The Dovetail cloud provider SPI: {@link dev.dovetail.cloudprovider.CloudProvider} and the model
 * it speaks. Plugins depend on this package only.
 */
package dev.dovetail.cloudprovider;
