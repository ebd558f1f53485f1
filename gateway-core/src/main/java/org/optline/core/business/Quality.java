package org.optline.core.business;

/** A business's quality state; at RED its marketing is paused. */
public enum Quality {
    GREEN,
    YELLOW,
    RED
}
