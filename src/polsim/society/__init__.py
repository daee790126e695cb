"""Society: synthesis from census margins, hardship, grievance, opinion, mobilisation."""

from polsim.society.grievance import perceived_legitimacy_table, update_grievance
from polsim.society.hardship import economic_shock, update_hardship
from polsim.society.mobilisation import granovetter_equilibrium, mobilise, threshold_equilibrium
from polsim.society.opinion import count_opinion_clusters, deffuant_round, exchange_opinions
from polsim.society.synthesis import population_table, rake, synthesise_voters

__all__ = [
    "count_opinion_clusters",
    "deffuant_round",
    "economic_shock",
    "exchange_opinions",
    "granovetter_equilibrium",
    "mobilise",
    "perceived_legitimacy_table",
    "population_table",
    "rake",
    "synthesise_voters",
    "threshold_equilibrium",
    "update_grievance",
    "update_hardship",
]
