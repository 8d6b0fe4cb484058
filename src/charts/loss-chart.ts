/**
 * @file <loss-chart>: training and test loss and accuracy against step, one colour per run.
 *
 *   <loss-chart .runs=${runs} log-loss></loss-chart>
 */
import type { PropertyDeclarations, TemplateResult } from 'lit';
import { toggle } from './base';
import { lossModel } from './loss-data';
import type { PlotModel } from './spec';
import { UplotChartElement } from './uplot-chart';

export class LossChart extends UplotChartElement {
  static override properties: PropertyDeclarations = {
    logLoss: { type: Boolean, attribute: 'log-loss', reflect: true },
  };

  /** Loss on a log axis (the default: losses fall over decades). */
  declare logLoss: boolean;

  constructor() {
    super();
    this.logLoss = true;
  }

  protected chartTitle(): string {
    return 'Loss and accuracy';
  }

  protected buildModel(): PlotModel {
    return lossModel(this.runs, this.logLoss);
  }

  protected override controls(): TemplateResult {
    return toggle('log loss', this.logLoss, (v) => {
      this.logLoss = v;
    });
  }
}

customElements.define('loss-chart', LossChart);

declare global {
  interface HTMLElementTagNameMap {
    'loss-chart': LossChart;
  }
}
