package org.optline.core.admission;

import java.util.List;
import org.optline.core.business.Business;

/**
 * One step of admission. A stage looks at the candidates no earlier stage has decided, in
 * batch order, and decides the ones its rule refuses; the rest go on to the next stage.
 */
interface Stage {
    void apply(Business business, List<Candidate> undecided);
}
